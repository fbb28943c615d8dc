import { Node, type FunctionDeclaration, type SourceFile } from 'ts-morph';
import type { Settings } from './declaration-text.js';
import type { GroupReference } from './document-changes.js';
import { freeNames, specifierFrom, visibleAt } from './free-names.js';
import type { RouterPlace } from './mount.js';
import { push, type PlanOutput } from './plan-output.js';
import type { RoutePlan } from './plan-route.js';
import { statementLines } from './removals.js';
import type { RouteSite } from './sites.js';
import { literal } from '../../src/codemod/source-text.js';
import { indentOf } from './text.js';

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

/** A free name for a router's group: `ordersRouter` → `ordersRoutes`, else from the factory or the base path. */
export function groupName(
  site: RouteSite,
  factoryName: string | undefined,
  basePath: string,
  taken: (name: string) => boolean,
): string {
  const routerName = site.router?.getText() ?? 'router';
  let base =
    /Router$/.test(routerName) && routerName !== 'Router'
      ? routerName.replace(/Router$/, 'Routes')
      : factoryName !== undefined && /Router$/.test(factoryName)
        ? factoryName.replace(/Router$/, 'Routes')
        : `${segments(basePath)
            .at(-1)!
            .replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase())}Routes`;
  if (!/^[A-Za-z_$]/.test(base)) base = `routes${base}`;
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base}${n}`;
    if (!taken(candidate)) return candidate;
  }
}

/** Where a group's routes are, and what its statement says. */
export interface GroupSpec {
  readonly run: readonly RoutePlan[];
  readonly file: SourceFile;
  readonly place: RouterPlace;
  /** The group's name, and its `createRouteGroup({ … })` call. */
  readonly name: string;
  readonly call: string;
  /** The group's path below the router's mount (`''` when the group's base path is the mount). */
  readonly mount: string;
  readonly settings: Settings;
  /** The documents' descriptions are in other modules: the group is exported. */
  readonly exported: boolean;
  readonly documented: boolean;
}

/** Where the group is made, how the router mounts it, and how a document reaches it. */
export interface GroupPlacement {
  /** The statement that replaces the last registration. */
  readonly mountText: string;
  /** The group's own statement, when it is not part of the mount. */
  readonly statement: { readonly file: SourceFile; readonly at: number; readonly text: string } | undefined;
  readonly reference: GroupReference;
}

function mountCall(spec: GroupSpec, router: string): string {
  const receiver = spec.run.at(-1)!.site.router!.getText();
  return `${receiver}.use(${spec.mount === '' ? '' : `${literal(spec.mount, spec.settings.quote)}, `}${router});`;
}

function visibleIdentifier(identifier: Node, at: Node): boolean {
  const declaration = identifier.getSymbol()?.getDeclarations()[0];
  return (
    declaration === undefined ||
    (declaration.getSourceFile() === at.getSourceFile() && visibleAt(declaration, at.getStart()))
  );
}

/**
 * Places a router's group, one of three ways:
 * - at module level, when the router is, or when its declarations and its auth are visible there
 *   (after the last declaration; a document anywhere imports it);
 * - as a function of the factory's parameters, when the group needs the factory's auth while the
 *   declarations are at module level (a document calls it with the arguments the factory got);
 * - inside the factory, beside the routes declared there, when no document outside reads them.
 * Answers the reason when none fits.
 */
export function placeGroup(spec: GroupSpec, output: PlanOutput): GroupPlacement | string {
  const { run, place, name, call } = spec;
  const mountStatement = run.at(-1)!.site.statement;
  const factory = place.factory;
  const routerInFactory =
    factory !== undefined &&
    place.declaration.getStart() > factory.getStart() &&
    place.declaration.getEnd() < factory.getEnd();
  const moduleLevelDeclarations = run.every(
    (plan) =>
      plan.placement === 'module' ||
      (plan.placement !== 'registration' &&
        Node.isSourceFile(plan.site.validator.getVariableStatementOrThrow().getParent())),
  );
  const authObject = run.find((plan) => plan.authObject !== undefined)?.authObject;
  const authVisibleAtModule =
    authObject === undefined ||
    (freeNames(authObject).every((free) => free.declaration === undefined || visibleAt(free.declaration, 0)) &&
      !(
        Node.isIdentifier(authObject) &&
        authObject
          .getSymbol()
          ?.getDeclarations()[0]
          ?.getFirstAncestor((a) => a === factory) !== undefined
      ));
  if (!routerInFactory || (moduleLevelDeclarations && authVisibleAtModule)) {
    if (!moduleLevelDeclarations && routerInFactory) return "its routes are declared inside the router's function";
    return moduleLevelGroup(spec, output, routerInFactory, mountStatement);
  }
  if (moduleLevelDeclarations && factory !== undefined) return factoryGroup(spec, output, factory);
  if (spec.documented)
    return `its routes are documented outside ${factory?.getName() ?? 'the function'} that builds its router, and their handlers need that function's variables`;
  return {
    statement: undefined,
    mountText: `const ${name} = ${call};\n${indentOf(mountStatement)}${mountCall(spec, `${name}.router`)}`,
    reference: () => undefined,
  };
}

// A module-level group: after the last declaration, before the mount if both are at module level.
function moduleLevelGroup(
  spec: GroupSpec,
  output: PlanOutput,
  routerInFactory: boolean,
  mountStatement: Node,
): GroupPlacement {
  const place = (node: Node): Node =>
    Node.isSourceFile(node.getParent())
      ? node
      : (node.getFirstAncestor((ancestor) => Node.isSourceFile(ancestor.getParent())) ?? node);
  const { run, file, name, call, exported } = spec;
  // Declarations made at module level (for validators of another module) go before the router's function: the group after them.
  const moduleDeclared = run.some((plan) => plan.placement === 'module');
  const lastDeclaration = run
    .filter((plan) => plan.placement !== 'module')
    .map((plan) => plan.site.validator.getVariableStatementOrThrow())
    .sort((a, b) => b.getEnd() - a.getEnd())[0];
  const anchor = routerInFactory && !moduleDeclared && lastDeclaration !== undefined ? lastDeclaration : mountStatement;
  const at =
    anchor === lastDeclaration
      ? statementLines(anchor, false).end
      : routerInFactory
        ? statementLines(place(mountStatement)).start
        : anchor.getFullStart() +
          (file
            .getFullText()
            .slice(anchor.getFullStart(), anchor.getStart())
            .match(/^\s*\n/)?.[0].length ?? 0);
  const text =
    anchor === lastDeclaration
      ? `\n${exported ? 'export ' : ''}const ${name} = ${call};\n`
      : routerInFactory
        ? `${exported ? 'export ' : ''}const ${name} = ${call};\n\n`
        : `${indentOf(anchor)}${exported ? 'export ' : ''}const ${name} = ${call};\n`;
  return {
    statement: { file, at, text },
    mountText: mountCall(spec, `${name}.router`),
    reference: (docFile) => {
      if (docFile !== file)
        push(output.imports, docFile, { specifier: specifierFrom(docFile, file), name, typeOnly: false });
      return name;
    },
  };
}

// The group needs the factory's auth: a function of the same parameters builds it, so that the
// document, where the factory is called, can build it too.
function factoryGroup(spec: GroupSpec, output: PlanOutput, factory: FunctionDeclaration): GroupPlacement {
  const { file, name, call, settings } = spec;
  const params = factory
    .getParameters()
    .map((p) => p.getText())
    .join(', ');
  const args = factory
    .getParameters()
    .map((p) => p.getName())
    .join(', ');
  const text = `\n/** The declared routes of ${factory.getName()!}(), for createOpenApiDocument({ routeGroups }). */\n${factory.isExported() ? 'export ' : ''}function ${name}(${params}) {\n${settings.unit}return ${call};\n}\n`;
  return {
    statement: { file, at: statementLines(factory, false).end, text },
    mountText: mountCall(spec, `${name}(${args}).router`),
    reference: (docFile, docCall) => {
      // A call of the factory in a scope around the document gives the arguments.
      const calls = factory
        .getNameNode()!
        .findReferencesAsNodes()
        .map((ref) => ref.getParent())
        .filter((parent): parent is Node => Node.isCallExpression(parent) && parent.getSourceFile() === docFile);
      for (const found of calls) {
        const callArgs = (found as Node & { getArguments(): Node[] }).getArguments();
        const visible = callArgs.every(
          (arg) =>
            freeNames(arg).every(
              (free) => free.declaration === undefined || visibleAt(free.declaration, docCall.getStart()),
            ) &&
            (!Node.isIdentifier(arg) || visibleIdentifier(arg, docCall)),
        );
        if (!visible) continue;
        if (docFile !== file)
          push(output.imports, docFile, { specifier: specifierFrom(docFile, file), name, typeOnly: false });
        return `${name}(${callArgs.map((a) => a.getText()).join(', ')})`;
      }
      return undefined;
    },
  };
}
