import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { declarationText, requestEntries, type Settings } from './declaration-text.js';
import { documentChanges } from './document-changes.js';
import { groupName, placeGroup, type GroupPlacement } from './group-placement.js';
import { moveDeclarations, reachName, type Move } from './moved-declarations.js';
import type { RouterPlace } from './mount.js';
import { emptyOutput, needPlatform, push, type PlanOutput } from './plan-output.js';
import type { RoutePlan } from './plan-route.js';
import { declarationLines, propertyLines, registrationComments, specifierRemoval, statementLines } from './removals.js';
import type { RouteSite } from './sites.js';
import { literal } from '../../src/codemod/source-text.js';
import { indentOf, reindent } from './text.js';

const BASE_PATH = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/** The statement at the top of a module that holds a node (the router's function around a registration). */
export function moduleStatementOf(node: Node): Node {
  return Node.isSourceFile(node.getParent())
    ? node
    : (node.getFirstAncestor((ancestor) => Node.isSourceFile(ancestor.getParent())) ?? node);
}
const normal = (path: string) => (path === '/' ? '' : path.replace(/\/$/, ''));
const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

/** What planning one group of a router needs from the router's plan. */
export interface GroupContext {
  readonly file: SourceFile;
  /** Where the router is mounted (`''` at the root). */
  readonly prefix: string;
  readonly place: RouterPlace;
  readonly settings: Settings;
  readonly isTaken: (name: string) => boolean;
  /** Every route of the router registered with validate(), converted or not. */
  readonly sites: readonly RouteSite[];
  /** Declarations an earlier group of the router already moved here (`file:start`). */
  readonly movedAlready: Set<string>;
}

/** One group's rewrite: its name, and what it changes. */
export interface GroupPlan extends PlanOutput {
  readonly name: string;
}

// The group's base path: where the router is mounted, or (at the root) the routes' common literal start.
function basePathOf(run: readonly RoutePlan[], prefix: string): string | undefined {
  if (BASE_PATH.test(prefix)) return prefix;
  const literalStarts = run.map((plan) =>
    segments(plan.site.path!).filter((_s, i, all) => !all.slice(0, i + 1).some((x) => x.startsWith(':'))),
  );
  const common: string[] = [];
  for (let i = 0; literalStarts.every((s) => s[i] !== undefined && s[i] === literalStarts[0]![i]); i += 1)
    common.push(literalStarts[0]![i]!);
  return common.length === 0 ? undefined : `${prefix}/${common.join('/')}`;
}

// Each route's declaration: where its validator was, or where it is registered; its comments above it.
function declare(
  plan: RoutePlan,
  run: readonly RoutePlan[],
  path: string,
  context: GroupContext,
  output: PlanOutput,
  moves: Move[],
): void {
  const { file, settings } = context;
  const declaration = declarationText(plan, path, settings);
  // Response schemas written from the replies' types use joi: the route's file imports it.
  if (settings.joi === 'joi' && /(?<![\w$.])joi\./.test(declaration)) needPlatform(output, file, 'joi');
  const validatorStatement = plan.site.validator.getVariableStatementOrThrow();
  const initializer = plan.site.validator.getInitializerOrThrow();
  // The registration's own comments say what the route does: they go above its declaration.
  const comments = registrationComments(plan.site.statement, run);
  if (plan.placement === 'registration' || plan.placement === 'module') {
    // A shared validator (or one of a module of validators) becomes the routes' request, where it
    // is; one route's own validator goes.
    const validatorFile = validatorStatement.getSourceFile();
    if (plan.shared)
      push(output.edits, validatorFile, {
        start: initializer.getStart(),
        end: initializer.getEnd(),
        text: `{ ${requestEntries(plan, settings).join(', ')} }`,
      });
    else push(output.edits, file, declarationLines(validatorStatement));
    if (validatorFile !== file) needPlatform(output, validatorFile);
    if (plan.placement === 'registration') {
      const indent = indentOf(plan.site.statement);
      const at = statementLines(plan.site.statement).start;
      push(output.edits, file, {
        start: at,
        end: at,
        text: `${comments}${indent}const ${plan.name} = ${reindent(declaration, '', indent)};\n`,
      });
    } else {
      // At module level, before the statement (the router's function) that registers it.
      const at = statementLines(moduleStatementOf(plan.site.statement)).start;
      push(output.edits, file, {
        start: at,
        end: at,
        text: `${comments.replace(/^[ \t]+/gm, '')}const ${plan.name} = ${declaration};\n\n`,
      });
    }
  } else {
    const indent = indentOf(validatorStatement);
    push(output.edits, file, {
      start: initializer.getStart(),
      end: initializer.getEnd(),
      text: reindent(declaration, '', indent),
    });
    if (comments !== '') {
      const at = statementLines(validatorStatement).start;
      push(output.edits, file, {
        start: at,
        end: at,
        text: reindent(comments.replace(/^[ \t]*/gm, ''), '', '')
          .split('\n')
          .map((line) => (line === '' ? line : `${indent}${line}`))
          .join('\n'),
      });
    }
  }
  // The handler leaves its own declaration (this file or another).
  if (Node.isPropertyAssignment(plan.handlerDeclaration) || Node.isMethodDeclaration(plan.handlerDeclaration)) {
    // A controller's property: it leaves the object (the object goes with its last property, see planRouter).
    push(output.edits, plan.handlerDeclaration.getSourceFile(), propertyLines(plan.handlerDeclaration));
  } else if (plan.handlerDeclaration !== undefined) {
    const holder = Node.isFunctionDeclaration(plan.handlerDeclaration)
      ? plan.handlerDeclaration
      : plan.handlerDeclaration.getVariableStatementOrThrow();
    push(output.edits, holder.getSourceFile(), statementLines(holder, true, true));
    if (holder.getSourceFile() !== file) {
      // Its import in the route's file goes; what it used comes along.
      for (const specifier of file.getImportDeclarations().flatMap((d) => d.getNamedImports())) {
        if ((specifier.getAliasNode() ?? specifier.getNameNode()).getText() === plan.site.args.at(-1)!.getText())
          push(output.edits, file, specifierRemoval(specifier));
      }
    }
  }
  // Only what the declaration still names (a moved handler's Request and Response types go).
  for (const free of plan.imports)
    if (new RegExp(`(?<![\\w$.])${free.name}(?![\\w$])`).test(declaration)) reachName(free, file, output, moves);
  // A schema held in a const gets its value type where it is declared, once.
  for (const typed of plan.typedSchemas) {
    if (run.slice(0, run.indexOf(plan)).some((p) => p.typedSchemas.some((t) => t.at === typed.at))) continue;
    const at = typed.at.asKindOrThrow(SyntaxKind.CallExpression).getExpression().getEnd();
    push(output.edits, typed.at.getSourceFile(), { start: at, end: at, text: `<${typed.type}, true>` });
  }
}

function chainHasOnly(statement: Node, converted: number): boolean {
  let links = 0;
  for (const call of statement.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (
      Node.isPropertyAccessExpression(callee) &&
      callee.getName() !== 'route' &&
      ['get', 'post', 'put', 'patch', 'delete', 'all', 'head', 'options'].includes(callee.getName())
    )
      links += 1;
  }
  return links === converted;
}

// The registrations: the last statement becomes the group's mount; the others go (or, in a
// route() chain that keeps links of its own, only the converted links leave it).
function replaceRegistrations(
  run: readonly RoutePlan[],
  placement: GroupPlacement,
  context: GroupContext,
  output: PlanOutput,
): void {
  const { file } = context;
  const mountStatement = run.at(-1)!.site.statement;
  for (const statement of [...new Set(run.map((plan) => plan.site.statement))]) {
    const links = run.filter((plan) => plan.site.statement === statement);
    const all = context.sites.filter((site) => site.statement === statement);
    const whole =
      !links[0]!.site.creationChain &&
      links.length === all.length &&
      (links[0]!.site.chainRoot === undefined || chainHasOnly(statement, links.length));
    if (statement === mountStatement && whole) {
      // Its comments went to its declaration; the mount takes their place.
      const from = registrationComments(statement, run) === '' ? statement.getStart() : statementLines(statement).start;
      push(output.edits, file, {
        start: from,
        end: statement.getEnd(),
        text: from === statement.getStart() ? placement.mountText : `${indentOf(statement)}${placement.mountText}`,
      });
    } else if (whole) {
      const declaredHere = links.some((plan) => plan.placement === 'registration');
      push(output.edits, file, statementLines(statement, true, !declaredHere));
    } else {
      for (const plan of links)
        push(output.edits, file, {
          start: plan.site.call
            .getExpression()
            .asKindOrThrow(SyntaxKind.PropertyAccessExpression)
            .getExpression()
            .getEnd(),
          end: plan.site.call.getEnd(),
          text: '',
        });
      if (statement === mountStatement)
        push(output.edits, file, {
          start: statement.getEnd(),
          end: statement.getEnd(),
          text: `\n${indentOf(statement)}${placement.mountText}`,
        });
    }
  }
}

/**
 * Plans one group of a router's routes (registered one after the other): each route's
 * declaration, the handlers that move into them with what they use, the group and its mount in
 * place of the last registration, and the documents that described the routes. Answers the
 * reason when the group cannot be made.
 *
 * @example
 * const plan = planGroup(run, { file, prefix: '/api/v1/orders', place, settings, isTaken, sites, movedAlready });
 */
export function planGroup(run: readonly RoutePlan[], context: GroupContext): GroupPlan | string {
  const { file, settings } = context;
  const { quote } = settings;
  const output = emptyOutput();
  needPlatform(output, file, 'defineRoute', 'createRouteGroup');
  const basePath = basePathOf(run, context.prefix);
  if (basePath === undefined)
    return 'its router is mounted at the root and its routes share no first segment: a route group needs a base path';
  const mount = basePath.slice(context.prefix.length);
  const routePath = (plan: RoutePlan) => {
    const rest = normal(plan.site.path!).slice(mount.length);
    return rest === '' ? '/' : rest;
  };
  const last = run.at(-1)!;
  const name = groupName(last.site, context.place.factory?.getName(), basePath, context.isTaken);
  const authObject = run.find((plan) => plan.authObject !== undefined)?.authObject;
  const tag = run.find((plan) => plan.description?.tag !== undefined)?.description?.tag;
  const groupOptions = [
    `basePath: ${literal(basePath, quote)}`,
    ...(authObject === undefined ? [] : [authObject.getText() === 'auth' ? 'auth' : `auth: ${authObject.getText()}`]),
    `routes: [${run.map((plan) => plan.name).join(', ')}]`,
    ...(tag === undefined ? [] : [`tag: { name: ${literal(tag, quote)}, description: ${literal(tag, quote)} }`]),
  ];
  const documents = run.filter((plan) => plan.description !== undefined);
  const placement = placeGroup(
    {
      run,
      file,
      place: context.place,
      name,
      call: `createRouteGroup({ ${groupOptions.join(', ')} })`,
      mount,
      settings,
      exported: documents.some((plan) => plan.description!.element.getSourceFile() !== file),
      documented: documents.length > 0,
    },
    output,
  );
  if (typeof placement === 'string') return placement;
  // The group's statement first: inserted where a declaration is inserted too, it lands after it.
  if (placement.statement !== undefined)
    push(output.edits, placement.statement.file, {
      start: placement.statement.at,
      end: placement.statement.at,
      text: placement.statement.text,
    });
  const moves: Move[] = [];
  // Last first: declarations inserted at one place (before the router's function) keep the routes' order.
  for (const plan of [...run].reverse()) declare(plan, run, routePath(plan), context, output, moves);
  moveDeclarations(moves, file, run, output, context.movedAlready);
  replaceRegistrations(run, placement, context, output);
  // The documents: descriptions leave, groups arrive.
  const documentEdits = documentChanges(documents, placement.reference);
  if (typeof documentEdits === 'string') return documentEdits;
  for (const [target, list] of documentEdits) push(output.edits, target, ...list);
  return { name, ...output };
}
