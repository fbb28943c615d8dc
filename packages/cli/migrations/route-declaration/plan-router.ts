import { Node } from 'ts-morph';
import type { Settings } from './declaration-text.js';
import { routerPlace } from './mount.js';
import { emptyOutput, mergeOutput, push, type PlanOutput } from './plan-output.js';
import { namesVisible, planRoute, type RoutePlan } from './plan-route.js';
import { moduleStatementOf, planGroup } from './plan-group.js';
import { statementLines } from './removals.js';
import { groupRuns } from './route-runs.js';
import type { RouteSite } from './sites.js';

export type { Settings } from './declaration-text.js';

/** What rewriting one router's routes does: the routes converted and left, and what changes, file by file. */
export interface RouterPlan extends PlanOutput {
  readonly converted: readonly RoutePlan[];
  readonly left: ReadonlyMap<RouteSite, string>;
}

const normal = (path: string) => (path === '/' ? '' : path.replace(/\/$/, ''));

// Where the router answers: its one mount point, or what the routes' descriptions say; else why not.
function routerPrefix(
  place: NonNullable<ReturnType<typeof routerPlace>>,
  plans: readonly RoutePlan[],
): string | { reason: string } {
  if (place.prefixes.length === 1 && place.unknown === undefined) return place.prefixes[0]!;
  const documented = new Set(
    plans.flatMap((plan) =>
      plan.description === undefined || plan.site.path === undefined
        ? []
        : [
            normal(plan.description.path).slice(
              0,
              normal(plan.description.path).length - normal(plan.site.path).length,
            ),
          ],
    ),
  );
  const fromDocs = [...documented].filter((at) => place.prefixes.length === 0 || place.prefixes.includes(at));
  if (fromDocs.length === 1) return fromDocs[0]!;
  return {
    reason:
      place.prefixes.length > 1
        ? `its router is mounted at ${place.prefixes.map((p) => p || '/').join(' and ')}`
        : `cannot tell where its router is mounted (${place.unknown ?? "no use('/path', router) of it in the project"})`,
  };
}

// Where each route is declared: where its validator was, or (when its handler needs what only the
// router's function has, and no document outside describes it) right before its registration.
function placeDeclarations(plans: readonly RoutePlan[], left: Map<RouteSite, string>): RoutePlan[] {
  const usable: RoutePlan[] = [];
  for (const plan of plans) {
    const file = plan.site.file;
    if (plan.placement === 'module') {
      // A validator of another module: declared at module level before the registering statement,
      // or, when the handler needs the router function's variables, where it is registered.
      const top = moduleStatementOf(plan.site.statement).getStart();
      const there = plan.site.statement.getStart();
      const code = [plan.handler, ...plan.middleware];
      if (code.every((part) => namesVisible(part, file, top) === undefined)) usable.push(plan);
      else if (plan.description === undefined && code.every((part) => namesVisible(part, file, there) === undefined))
        usable.push({ ...plan, placement: 'registration' });
      else
        left.set(
          plan.site,
          `its handler uses ${code.map((part) => namesVisible(part, file, there) ?? namesVisible(part, file, top)).find((name) => name !== undefined) ?? 'a variable'}, which a declaration beside its registration cannot see or a document outside cannot reach`,
        );
      continue;
    }
    const at = plan.site.validator.getVariableStatementOrThrow().getStart();
    const hidden = plan.shared
      ? 'the other routes of its validator'
      : [plan.handler, ...plan.middleware]
          .map((code) => namesVisible(code, file, at))
          .find((name) => name !== undefined);
    const there = plan.site.statement.getStart();
    const hiddenThere = [plan.handler, ...plan.middleware, ...plan.parts.values()]
      .map((code) => namesVisible(code, file, there))
      .find((name) => name !== undefined);
    if (
      hidden !== undefined &&
      (plan.description === undefined || plan.shared) &&
      hiddenThere === undefined &&
      plan.typedSchemas.length === 0
    )
      usable.push({ ...plan, placement: 'registration' });
    else if (hidden !== undefined)
      left.set(
        plan.site,
        `its ${plan.middleware.some((m) => namesVisible(m, file, at) === hidden) ? 'middleware' : 'handler'} uses ${hidden}, which ${plan.site.validator.getName()}'s place (line ${plan.site.validator.getStartLineNumber()}) cannot see`,
      );
    else usable.push(plan);
  }
  return usable;
}

/**
 * Plans the rewrite of the routes registered with `validate()` on one router: each route that can
 * be declared becomes a `defineRoute()` (where its validator was, or where it is registered), the
 * routes of the router join one `createRouteGroup()` (mounted on the router where the last of
 * them was registered, so every URL answers as before; see {@link groupRuns} for when they need
 * two), and their descriptions leave the document's `routes` for its `routeGroups`.
 *
 * @example
 * const plan = planRouter(sites, { javascript: false, joi: 'joi', quote: "'", unit: '  ' });
 */
export function planRouter(sites: readonly RouteSite[], settings: Settings): RouterPlan {
  const left = new Map<RouteSite, string>();
  const output = emptyOutput();
  const converted: RoutePlan[] = [];
  const result = { converted, left, ...output };
  const first = sites[0]!;
  const place = first.router === undefined ? undefined : routerPlace(first.router);
  if (place === undefined) {
    for (const site of sites) left.set(site, 'its router is not a variable holding express.Router()');
    return result;
  }
  const known = place.prefixes.length === 1 && place.unknown === undefined ? place.prefixes[0] : undefined;
  const plans: RoutePlan[] = [];
  for (const site of sites) {
    const absolutePath = known === undefined ? undefined : normal(known + normal(site.path ?? ''));
    const plan = planRoute(site, {
      javascript: settings.javascript,
      joi: settings.joi,
      quote: settings.quote,
      absolutePath: absolutePath === '' ? '/' : absolutePath,
    });
    if (typeof plan === 'string') left.set(site, plan);
    else plans.push(plan);
  }
  const prefix = routerPrefix(place, plans);
  if (typeof prefix !== 'string') {
    for (const plan of plans) left.set(plan.site, prefix.reason);
    return result;
  }
  const file = first.file;
  const taken = new Set<string>();
  const movedAlready = new Set<string>();
  const isTaken = (name: string) => taken.has(name) || new RegExp(`\\b${name}\\b`).test(file.getFullText());
  for (const run of groupRuns(placeDeclarations(plans, left))) {
    const group = planGroup(run, { file, prefix, place, settings, isTaken, sites, movedAlready });
    if (typeof group === 'string') {
      for (const route of run) left.set(route.site, group);
      continue;
    }
    taken.add(group.name);
    mergeOutput(output, group);
    converted.push(...run);
  }
  dropEmptiedControllers(converted, output);
  return result;
}

// A controller object whose every property moved into a declaration goes as a whole.
function dropEmptiedControllers(converted: readonly RoutePlan[], output: PlanOutput): void {
  const moved: Node[] = converted
    .map((plan) => plan.handlerDeclaration)
    .filter((declaration) => Node.isPropertyAssignment(declaration) || Node.isMethodDeclaration(declaration));
  for (const object of new Set(moved.map((property) => property.getParentOrThrow()))) {
    if (
      !Node.isObjectLiteralExpression(object) ||
      !object.getProperties().every((property) => moved.includes(property))
    )
      continue;
    const statement = object.getParent()?.getParent()?.getParent();
    if (Node.isVariableStatement(statement) && statement.getDeclarations().length === 1)
      push(output.edits, statement.getSourceFile(), statementLines(statement, true, true));
  }
}
