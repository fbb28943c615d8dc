import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { freeNames, specifierFrom, visibleAt, type FreeName } from './free-names.js';
import { routerPlace } from './mount.js';
import { namesVisible, planRoute, type RoutePlan } from './plan-route.js';
import type { RouteSite } from './sites.js';
import { applyEdits, indentOf, literal, reindent, type Edit } from './text.js';

const BASE_PATH = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/** What rewriting one router's routes does: text edits by file, imports to add, routes left. */
export interface RouterPlan {
  readonly converted: readonly RoutePlan[];
  readonly left: ReadonlyMap<RouteSite, string>;
  readonly edits: ReadonlyMap<SourceFile, Edit[]>;
  /** Per file: names to import, from a module specifier. */
  readonly imports: ReadonlyMap<SourceFile, { specifier: string; name: string; typeOnly: boolean }[]>;
  /** Per file: `@org/platform` names the file now needs. */
  readonly platform: ReadonlyMap<SourceFile, Set<string>>;
  /** Per file: declarations to export (a helper a moved handler uses). */
  readonly exports: ReadonlyMap<SourceFile, Node[]>;
}

interface Settings {
  readonly javascript: boolean;
  readonly joi: string;
  readonly quote: string;
  readonly unit: string;
}

const normal = (path: string) => (path === '/' ? '' : path.replace(/\/$/, ''));

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function push<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  map.set(key, [...(map.get(key) ?? []), ...values]);
}

// Whole lines of a statement (with its leading comments when `withComments`), for removal.
function statementLines(statement: Node, withComments = true): Edit {
  const text = statement.getSourceFile().getFullText();
  const start = withComments ? statement.getFullStart() + (text.slice(statement.getFullStart(), statement.getStart()).match(/^\s*\n/)?.[0].length ?? 0) : statement.getStart();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const from = text.slice(lineStart, start).trim() === '' ? lineStart : start;
  let end = statement.getEnd();
  const newline = text.indexOf('\n', end);
  if (newline !== -1 && text.slice(end, newline).trim() === '') end = newline + 1;
  return { start: from, end, text: '' };
}

function groupName(site: RouteSite, factoryName: string | undefined, basePath: string, taken: (name: string) => boolean): string {
  const routerName = site.router?.getText() ?? 'router';
  let base = /Router$/.test(routerName) && routerName !== 'Router' ? routerName.replace(/Router$/, 'Routes') : factoryName !== undefined && /Router$/.test(factoryName) ? factoryName.replace(/Router$/, 'Routes') : `${segments(basePath).at(-1)!.replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase())}Routes`;
  if (!/^[A-Za-z_$]/.test(base)) base = `routes${base}`;
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base}${n}`;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * Plans the rewrite of the routes registered with `validate()` on one router: each route that can
 * be declared becomes a `defineRoute()` where its validator was, the routes of the router join one
 * `createRouteGroup()` (mounted on the router where the last of them was registered, so every URL
 * answers as before), and their descriptions leave the document's `routes` for its `routeGroups`.
 *
 * @example
 * const plan = planRouter(sites, settings);
 */
export function planRouter(sites: readonly RouteSite[], settings: Settings): RouterPlan {
  const left = new Map<RouteSite, string>();
  const edits = new Map<SourceFile, Edit[]>();
  const imports = new Map<SourceFile, { specifier: string; name: string; typeOnly: boolean }[]>();
  const platform = new Map<SourceFile, Set<string>>();
  const exports = new Map<SourceFile, Node[]>();
  const result = { converted: [] as RoutePlan[], left, edits, imports, platform, exports };
  const first = sites[0]!;
  const file = first.file;
  const place = first.router === undefined ? undefined : routerPlace(first.router);
  if (place === undefined) {
    for (const site of sites) left.set(site, 'its router is not a variable holding express.Router()');
    return result;
  }
  // Where the router answers: its one mount point, or what the descriptions say.
  let prefix = place.prefixes.length === 1 && place.unknown === undefined ? place.prefixes[0] : undefined;
  const plans: RoutePlan[] = [];
  for (const site of sites) {
    const absolutePath = prefix === undefined ? undefined : normal(prefix + normal(site.path ?? ''));
    const plan = planRoute(site, { javascript: settings.javascript, joi: settings.joi, quote: settings.quote, absolutePath: absolutePath === '' ? '/' : absolutePath });
    if (typeof plan === 'string') left.set(site, plan);
    else plans.push(plan);
  }
  if (prefix === undefined) {
    const documented = new Set(plans.flatMap((plan) => (plan.description === undefined || plan.site.path === undefined ? [] : [normal(plan.description.path).slice(0, normal(plan.description.path).length - normal(plan.site.path).length)])));
    const fromDocs = [...documented].filter((at) => place.prefixes.length === 0 || place.prefixes.includes(at));
    if (fromDocs.length === 1) prefix = fromDocs[0];
    else {
      const why = place.prefixes.length > 1 ? `its router is mounted at ${place.prefixes.map((p) => p || '/').join(' and ')}` : `cannot tell where its router is mounted (${place.unknown ?? 'no use(\'/path\', router) of it in the project'})`;
      for (const plan of plans) left.set(plan.site, why);
      return result;
    }
  }
  // Declarations stay where their validators were; a handler that needs what only the router's
  // function has cannot move there.
  const usable: RoutePlan[] = [];
  for (const plan of plans) {
    const at = plan.site.validator.getVariableStatementOrThrow().getStart();
    const hidden = plan.shared ? 'the other routes of its validator' : [plan.handler, ...plan.middleware].map((code) => namesVisible(code, file, at)).find((name) => name !== undefined);
    // Declared where it is registered instead: inside the router's function, beside what it uses.
    const there = plan.site.statement.getStart();
    const hiddenThere = [plan.handler, ...plan.middleware, ...plan.parts.values()].map((code) => namesVisible(code, file, there)).find((name) => name !== undefined);
    if (hidden !== undefined && (plan.description === undefined || plan.shared) && hiddenThere === undefined && plan.typedSchemas.length === 0) usable.push({ ...plan, placement: 'registration' });
    else if (hidden !== undefined) left.set(plan.site, `its ${plan.middleware.some((m) => namesVisible(m, file, at) === hidden) ? 'middleware' : 'handler'} uses ${hidden}, which ${plan.site.validator.getName()}'s place (line ${plan.site.validator.getStartLineNumber()}) cannot see`);
    else usable.push(plan);
  }
  // One group per router, of routes registered one after the other with the same auth object and tag.
  const registrations = routerStatements(first);
  const runs: RoutePlan[][] = [];
  for (const plan of usable.sort((a, b) => a.site.call.getStart() - b.site.call.getStart())) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    // A registration between them that could answer the same request keeps them apart (moving the
    // earlier routes to the later mount would change which answers first).
    const between = last === undefined ? [] : registrations.filter((statement) => statement.getStart() > last.site.statement.getStart() && statement.getStart() < plan.site.statement.getStart() && !usable.some((p) => p.site.statement === statement));
    const groupAuth = run?.find((p) => p.authObject !== undefined)?.authObject?.getText();
    const sameGroup = last !== undefined && (groupAuth === undefined || plan.authObject === undefined || plan.authObject.getText() === groupAuth) && last.description?.tag === plan.description?.tag && !between.some((statement) => run!.some((moved) => interferes(statement, moved.site)));
    // A chain statement that keeps routes of its own sits between too.
    if (run !== undefined && sameGroup) run.push(plan);
    else runs.push([plan]);
  }
  // A route.chain that keeps a link which is not converted cannot go as a whole.
  const taken = new Set<string>();
  const movedAlready = new Set<string>();
  const isTaken = (name: string) => taken.has(name) || new RegExp(`\\b${name}\\b`).test(file.getFullText());
  for (const run of runs) {
    const plan = planGroup(run, { file, prefix: prefix!, place, settings, isTaken, sites, movedAlready });
    if (typeof plan === 'string') {
      for (const route of run) left.set(route.site, plan);
      continue;
    }
    taken.add(plan.name);
    for (const [target, list] of plan.edits) push(edits, target, ...list);
    for (const [target, list] of plan.imports) push(imports, target, ...list);
    for (const [target, names] of plan.platform) platform.set(target, new Set([...(platform.get(target) ?? []), ...names]));
    for (const [target, list] of plan.exports) push(exports, target, ...list);
    result.converted.push(...run);
  }
  return result;
}

function overlaps(a: string, b: string): boolean {
  const x = segments(a);
  const y = segments(b);
  return x.length === y.length && x.every((segment, i) => segment === y[i] || segment.startsWith(':') || y[i]!.startsWith(':'));
}

// Whether a registration statement could answer a request the route answers: `use()`, `all()`, a
// method of the route's on an overlapping path, or anything the migration cannot read.
function interferes(statement: Node, route: RouteSite): boolean {
  for (const call of statement.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const name = callee.getName();
    if (name === 'use' || name === 'all') return true;
    if (name === 'route') continue;
    if (!['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(name)) continue;
    const chain = callee.getExpression();
    let path: Node | undefined = call.getArguments()[0];
    for (let node: Node = chain; Node.isCallExpression(node); ) {
      const inner = node.getExpression();
      if (!Node.isPropertyAccessExpression(inner)) break;
      if (inner.getName() === 'route') {
        path = node.getArguments()[0];
        break;
      }
      node = inner.getExpression();
    }
    if (!Node.isStringLiteral(path)) return true;
    if ((name === route.method || (name === 'head' && route.method === 'get')) && overlaps(path.getLiteralText(), route.path ?? '/')) return true;
  }
  return false;
}

// The statements of the router's block that register something on it, in order.
function routerStatements(site: RouteSite): Node[] {
  const name = site.router!;
  const declaration = name.getSymbol()?.getDeclarations()[0];
  if (declaration === undefined) return [];
  const statements: Node[] = [];
  for (const ref of (declaration.asKind(SyntaxKind.VariableDeclaration)?.getNameNode().asKind(SyntaxKind.Identifier)?.findReferencesAsNodes() ?? []).filter((r) => r.getSourceFile() === site.file)) {
    const parent = ref.getParent();
    if (!Node.isPropertyAccessExpression(parent) || parent.getExpression() !== ref) continue;
    const statement = ref.getFirstAncestor((a) => Node.isExpressionStatement(a));
    if (statement !== undefined && !statements.includes(statement)) statements.push(statement);
  }
  return statements.sort((a, b) => a.getStart() - b.getStart());
}

interface GroupContext {
  readonly file: SourceFile;
  readonly prefix: string;
  readonly place: NonNullable<ReturnType<typeof routerPlace>>;
  readonly settings: Settings;
  readonly isTaken: (name: string) => boolean;
  readonly sites: readonly RouteSite[];
  /** Declarations an earlier group of the router already moved here (`file:start`). */
  readonly movedAlready: Set<string>;
}

interface GroupPlan {
  readonly name: string;
  readonly edits: Map<SourceFile, Edit[]>;
  readonly imports: Map<SourceFile, { specifier: string; name: string; typeOnly: boolean }[]>;
  readonly platform: Map<SourceFile, Set<string>>;
  readonly exports: Map<SourceFile, Node[]>;
}

function planGroup(run: readonly RoutePlan[], context: GroupContext): GroupPlan | string {
  const { file, settings } = context;
  const { quote, unit } = settings;
  const edits = new Map<SourceFile, Edit[]>();
  const imports = new Map<SourceFile, { specifier: string; name: string; typeOnly: boolean }[]>();
  const platform = new Map<SourceFile, Set<string>>([[file, new Set(['defineRoute', 'createRouteGroup'])]]);
  const exports = new Map<SourceFile, Node[]>();
  // The group's base path: where the router is mounted, or (at the root) the routes' common literal start.
  let basePath = context.prefix;
  if (!BASE_PATH.test(basePath)) {
    const literalStarts = run.map((plan) => segments(plan.site.path!).filter((_s, i, all) => !all.slice(0, i + 1).some((x) => x.startsWith(':'))));
    const common: string[] = [];
    for (let i = 0; literalStarts.every((s) => s[i] !== undefined && s[i] === literalStarts[0]![i]); i += 1) common.push(literalStarts[0]![i]!);
    if (common.length === 0) return `its router is mounted at the root and its routes share no first segment: a route group needs a base path`;
    basePath = `${context.prefix}/${common.join('/')}`;
  }
  const mount = basePath.slice(context.prefix.length);
  const routePath = (plan: RoutePlan) => {
    const rest = normal(plan.site.path!).slice(mount.length);
    return rest === '' ? '/' : rest;
  };
  const authObjects = run.flatMap((plan) => (plan.authObject === undefined ? [] : [plan.authObject]));
  const authObject = authObjects[0];
  const tag = run.find((plan) => plan.description?.tag !== undefined)?.description?.tag;
  const last = run.at(-1)!;
  const mountStatement = last.site.statement;
  const factory = context.place.factory;
  const routerInFactory = factory !== undefined && context.place.declaration.getStart() > factory.getStart() && context.place.declaration.getEnd() < factory.getEnd();
  const moduleLevelDeclarations = run.every((plan) => plan.placement !== 'registration' && Node.isSourceFile(plan.site.validator.getVariableStatementOrThrow().getParent()));
  const authVisibleAtModule = authObject === undefined || freeNames(authObject).every((free) => free.declaration === undefined || visibleAt(free.declaration, 0)) && !(Node.isIdentifier(authObject) && (authObject.getSymbol()?.getDeclarations()[0]?.getFirstAncestor((a) => a === factory) !== undefined));
  const documents = run.filter((plan) => plan.description !== undefined);
  const name = context.isTaken(groupName(last.site, factory?.getName(), basePath, context.isTaken)) ? groupName(last.site, factory?.getName(), basePath, context.isTaken) : groupName(last.site, factory?.getName(), basePath, context.isTaken);

  const moves: Move[] = [];
  // Each route's declaration, where its validator was.
  for (const plan of run) {
    const declaration = declarationText(plan, routePath(plan), settings);
    const validatorStatement = plan.site.validator.getVariableStatementOrThrow();
    const initializer = plan.site.validator.getInitializerOrThrow();
    // The registration's own comments say what the route does: they go above its declaration.
    const comments = leadingComments(plan.site.statement, run);
    if (plan.placement === 'registration') {
      const indent = indentOf(plan.site.statement);
      // A shared validator becomes the routes' shared request; one route's validator goes.
      if (plan.shared) push(edits, file, { start: initializer.getStart(), end: initializer.getEnd(), text: `{ ${requestEntries(plan, settings).join(', ')} }` });
      else push(edits, file, statementLines(validatorStatement));
      const at = statementLines(plan.site.statement).start;
      push(edits, file, { start: at, end: at, text: `${comments}${indent}const ${plan.name} = ${reindent(declaration, '', indent)};\n` });
    } else {
      const indent = indentOf(validatorStatement);
      push(edits, file, { start: initializer.getStart(), end: initializer.getEnd(), text: reindent(declaration, '', indent) });
      if (comments !== '') {
        const at = statementLines(validatorStatement).start;
        push(edits, file, { start: at, end: at, text: reindent(comments.replace(/^[ \t]*/gm, ''), '', '').split('\n').map((line) => (line === '' ? line : `${indent}${line}`)).join('\n') });
      }
    }
    // The handler leaves its own declaration (this file or another).
    if (plan.handlerDeclaration !== undefined) {
      const holder = Node.isFunctionDeclaration(plan.handlerDeclaration) ? plan.handlerDeclaration : plan.handlerDeclaration.getVariableStatementOrThrow();
      push(edits, holder.getSourceFile(), statementLines(holder));
      if (holder.getSourceFile() !== file) {
        // Its import in the route's file goes; what it used comes along.
        for (const specifier of file.getImportDeclarations().flatMap((d) => d.getNamedImports())) {
          if ((specifier.getAliasNode() ?? specifier.getNameNode()).getText() === plan.site.args.at(-1)!.getText()) push(edits, file, specifierRemoval(specifier));
        }
      }
    }
    // Only what the declaration still names (a moved handler's Request and Response types go).
    for (const free of plan.imports) if (new RegExp(`(?<![\\w$.])${free.name}(?![\\w$])`).test(declaration)) addImport(free, plan, file, imports, exports, platform, moves);
    for (const typed of plan.typedSchemas) if (!run.slice(0, run.indexOf(plan)).some((p) => p.typedSchemas.some((t) => t.at === typed.at))) push(edits, typed.at.getSourceFile(), { start: (typed.at as Node & { getExpression(): Node }).getExpression().getEnd(), end: (typed.at as Node & { getExpression(): Node }).getExpression().getEnd(), text: `<${typed.type}, true>` });
  }
  // Declarations that move here, with the module-level declarations they use from their module.
  const moved: Move[] = [];
  const queue = [...moves];
  while (queue.length > 0) {
    const move = queue.shift()!;
    const key = `${move.source.getFilePath()}:${move.statement.getStart()}`;
    if (context.movedAlready.has(key)) continue;
    context.movedAlready.add(key);
    moved.push(move);
    for (const free of freeNames(move.statement)) {
      if (free.importFrom !== undefined) {
        if (free.importFrom.specifier === '@org/platform') platform.get(file)!.add(free.name);
        else push(imports, file, { specifier: free.importFrom.specifier.startsWith('.') && free.importFrom.file !== undefined ? specifierFrom(file, free.importFrom.file) : free.importFrom.specifier, name: free.name, typeOnly: free.importFrom.typeOnly });
      } else if (free.declaration !== undefined) {
        const statement = Node.isSourceFile(free.declaration.getParent()) ? free.declaration : free.declaration.getFirstAncestor((a) => Node.isSourceFile(a.getParent()));
        if (statement !== undefined && Node.isSourceFile(statement.getParent())) queue.push({ statement, name: free.name, source: move.source });
      }
    }
  }
  if (moved.length > 0) {
    const lastImport = file.getImportDeclarations().at(-1);
    const at = lastImport === undefined ? 0 : statementLines(lastImport, false).end;
    const ordered = [...moved].sort((a, b) => a.statement.getStart() - b.statement.getStart());
    // The schemas that gained a type keep it when they move.
    const typedEdits = run.flatMap((plan) => plan.typedSchemas.map((typed) => ({ file: typed.at.getSourceFile(), at: typed.at.asKindOrThrow(SyntaxKind.CallExpression).getExpression().getEnd(), type: typed.type })));
    const text = ordered.map((m) => {
      const inside = typedEdits.filter((edit, index) => edit.file === m.source && edit.at > m.statement.getStart() && edit.at < m.statement.getEnd() && typedEdits.findIndex((other) => other.file === edit.file && other.at === edit.at) === index);
      const own = applyEdits(m.statement.getText(), inside.map((edit) => ({ start: edit.at, end: edit.at, text: `<${edit.type}, true>` })), m.statement.getStart());
      return /^export\s/.test(own) ? own : `export ${own}`;
    }).join('\n');
    push(edits, file, { start: at, end: at, text: `\n${text}\n` });
    for (const m of ordered) push(edits, m.source, statementLines(m.statement));
    for (const source of new Set(ordered.map((m) => m.source))) {
      const own = ordered.filter((x) => x.source === source);
      // What stays in the module still reads them (import); what others imported from it still finds them (re-export).
      const rest = own.reduce((text, m) => text.replace(m.statement.getText(), ''), source.getFullText());
      for (const m of own) if (new RegExp(`(?<![\\w$.])${m.name}(?![\\w$])`).test(rest.replace(/^import .*$/gm, ''))) push(imports, source, { specifier: specifierFrom(source, file), name: m.name, typeOnly: false });
      const reexported = own.filter((m) => /^export\s/.test(m.statement.getText()));
      if (reexported.length > 0) {
        const lastImport = source.getImportDeclarations().at(-1);
        const at = lastImport === undefined ? 0 : statementLines(lastImport, false).end;
        push(edits, source, { start: at, end: at, text: `\nexport { ${reexported.map((m) => m.name).join(', ')} } from '${specifierFrom(source, file)}';\n` });
      }
    }
  }
  // Registrations go; the last becomes the group's mount.
  const groupOptions = [
    `basePath: ${literal(basePath, quote)}`,
    ...(authObject === undefined ? [] : [authObject.getText() === 'auth' ? 'auth' : `auth: ${authObject.getText()}`]),
    `routes: [${run.map((plan) => plan.name).join(', ')}]`,
    ...(tag === undefined ? [] : [`tag: { name: ${literal(tag, quote)}, description: ${literal(tag, quote)} }`]),
  ];
  const groupCall = `createRouteGroup({ ${groupOptions.join(', ')} })`;
  let mountText: string;
  let groupStatementAt: { file: SourceFile; at: number; text: string } | undefined;
  let groupReference: (docFile: SourceFile, docCall: Node) => string | undefined;
  const exported = documents.some((plan) => plan.description!.element.getSourceFile() !== file);
  if (!routerInFactory || (moduleLevelDeclarations && authVisibleAtModule)) {
    if (!moduleLevelDeclarations && routerInFactory) return 'its routes are declared inside the router\'s function';
    // A module-level group: after the last declaration, before the mount if both are at module level.
    const lastDeclaration = run.map((plan) => plan.site.validator.getVariableStatementOrThrow()).sort((a, b) => b.getEnd() - a.getEnd())[0]!;
    const anchor = routerInFactory ? lastDeclaration : mountStatement;
    const at = routerInFactory ? statementLines(anchor, false).end : anchor.getFullStart() + (file.getFullText().slice(anchor.getFullStart(), anchor.getStart()).match(/^\s*\n/)?.[0].length ?? 0);
    const text = routerInFactory ? `\n${exported ? 'export ' : ''}const ${name} = ${groupCall};\n` : `${indentOf(anchor)}${exported ? 'export ' : ''}const ${name} = ${groupCall};\n`;
    groupStatementAt = { file, at, text };
    mountText = `${mountReceiver(last)}.use(${mount === '' ? '' : `${literal(mount, quote)}, `}${name}.router);`;
    groupReference = (docFile) => {
      if (docFile !== file) push(imports, docFile, { specifier: specifierFrom(docFile, file), name, typeOnly: false });
      return name;
    };
  } else if (moduleLevelDeclarations && factory !== undefined) {
    // The group needs the factory's auth: a function of the same parameters builds it, so that the
    // document, where the factory is called, can build it too.
    const params = factory.getParameters().map((p) => p.getText()).join(', ');
    const args = factory.getParameters().map((p) => p.getName()).join(', ');
    const text = `\n/** The declared routes of ${factory.getName()!}(), for createOpenApiDocument({ routeGroups }). */\n${factory.isExported() ? 'export ' : ''}function ${name}(${params}) {\n${unit}return ${groupCall};\n}\n`;
    groupStatementAt = { file, at: statementLines(factory, false).end, text };
    mountText = `${mountReceiver(last)}.use(${mount === '' ? '' : `${literal(mount, quote)}, `}${name}(${args}).router);`;
    groupReference = (docFile, docCall) => {
      // A call of the factory in a scope around the document gives the arguments.
      const calls = factory.getNameNode()!.findReferencesAsNodes().map((ref) => ref.getParent()).filter((call): call is Node => Node.isCallExpression(call) && call.getSourceFile() === docFile);
      for (const call of calls) {
        const callArgs = (call as Node & { getArguments(): Node[] }).getArguments();
        const visible = callArgs.every((arg) => freeNames(arg).every((free) => free.declaration === undefined || visibleAt(free.declaration, docCall.getStart())) && (!Node.isIdentifier(arg) || visibleIdentifier(arg, docCall)));
        if (!visible) continue;
        if (docFile !== file) push(imports, docFile, { specifier: specifierFrom(docFile, file), name, typeOnly: false });
        return `${name}(${callArgs.map((a) => a.getText()).join(', ')})`;
      }
      return undefined;
    };
  } else {
    if (documents.length > 0) return `its routes are documented outside ${factory?.getName() ?? 'the function'} that builds its router, and their handlers need that function's variables`;
    groupStatementAt = undefined;
    mountText = `const ${name} = ${groupCall};\n${indentOf(mountStatement)}${mountReceiver(last)}.use(${mount === '' ? '' : `${literal(mount, quote)}, `}${name}.router);`;
    groupReference = () => undefined;
  }
  // The registrations: the last statement becomes the mount; the others go.
  const statements = [...new Set(run.map((plan) => plan.site.statement))];
  for (const statement of statements) {
    const links = run.filter((plan) => plan.site.statement === statement);
    const all = context.sites.filter((site) => site.statement === statement);
    const whole = !links[0]!.site.creationChain && links.length === all.length && (links[0]!.site.chainRoot === undefined || chainHasOnly(statement, links.length));
    if (statement === mountStatement && whole) {
      // Its comments went to its declaration; the mount takes their place.
      const from = leadingComments(statement, run) === '' ? statement.getStart() : statementLines(statement).start;
      push(edits, file, { start: from, end: statement.getEnd(), text: from === statement.getStart() ? mountText : `${indentOf(statement)}${mountText}` });
    }
    else if (whole) push(edits, file, statementLines(statement));
    else {
      // Some links of a route() chain stay: only the converted ones leave it.
      for (const plan of links) push(edits, file, { start: plan.site.call.getExpression().asKindOrThrow(SyntaxKind.PropertyAccessExpression).getExpression().getEnd(), end: plan.site.call.getEnd(), text: '' });
      if (statement === mountStatement) push(edits, file, { start: statement.getEnd(), end: statement.getEnd(), text: `\n${indentOf(statement)}${mountText}` });
    }
  }
  if (groupStatementAt !== undefined) push(edits, groupStatementAt.file, { start: groupStatementAt.at, end: groupStatementAt.at, text: groupStatementAt.text });
  // The documents: descriptions leave, groups arrive.
  const documentEdits = documentChanges(documents, groupReference, context);
  if (typeof documentEdits === 'string') return documentEdits;
  for (const [target, list] of documentEdits) push(edits, target, ...list);
  return { name, edits, imports, platform, exports };
}

// The comment lines right above a registration that leaves (not a chain that stays), as written.
function leadingComments(statement: Node, run: readonly RoutePlan[]): string {
  const links = run.filter((plan) => plan.site.statement === statement);
  if (links[0]?.site.creationChain === true || links[0]?.site.chainRoot !== undefined) return '';
  const text = statement.getSourceFile().getFullText();
  const from = statementLines(statement).start;
  const comments = text.slice(from, statement.getStart());
  return comments.trim() === '' || links.length === 0 || comments.includes('TODO(org-platform)') ? '' : comments;
}

function visibleIdentifier(identifier: Node, at: Node): boolean {
  const declaration = identifier.getSymbol()?.getDeclarations()[0];
  return declaration === undefined || (declaration.getSourceFile() === at.getSourceFile() && visibleAt(declaration, at.getStart()));
}

function chainHasOnly(statement: Node, converted: number): boolean {
  let links = 0;
  for (const call of statement.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (Node.isPropertyAccessExpression(callee) && callee.getName() !== 'route' && ['get', 'post', 'put', 'patch', 'delete', 'all', 'head', 'options'].includes(callee.getName())) links += 1;
  }
  return links === converted;
}

function mountReceiver(plan: RoutePlan): string {
  return plan.site.router!.getText();
}

function specifierRemoval(specifier: Node): Edit {
  const text = specifier.getSourceFile().getFullText();
  let end = specifier.getEnd();
  while (/[\s,]/.test(text[end] ?? '') && text[end] !== '}') end += 1;
  return { start: specifier.getStart(), end, text: '' };
}

/** Declarations to move into the route's file (with what they use from their module). */
interface Move {
  readonly statement: Node;
  readonly name: string;
  readonly source: SourceFile;
}

function addImport(free: FreeName, plan: RoutePlan, file: SourceFile, imports: Map<SourceFile, { specifier: string; name: string; typeOnly: boolean }[]>, exports: Map<SourceFile, Node[]>, platform: Map<SourceFile, Set<string>>, moves: Move[]): void {
  void plan;
  if (free.importFrom !== undefined) {
    if (free.importFrom.specifier === '@org/platform') {
      platform.set(file, new Set([...(platform.get(file) ?? []), free.name]));
      return;
    }
    const bare = !free.importFrom.specifier.startsWith('.');
    const specifier = bare || free.importFrom.file === undefined ? free.importFrom.specifier : free.importFrom.file === file ? undefined : specifierFrom(file, free.importFrom.file);
    if (specifier === undefined) return;
    push(imports, file, { specifier, name: free.importFrom.imported === free.name ? free.name : `${free.importFrom.imported} as ${free.name}`, typeOnly: free.importFrom.typeOnly });
    return;
  }
  if (free.declaration === undefined) return;
  const source = free.declaration.getSourceFile();
  if (source === file) return;
  const statement = Node.isSourceFile(free.declaration.getParent()) ? free.declaration : (free.declaration.getFirstAncestor((a) => Node.isSourceFile(a.getParent())) ?? free.declaration);
  // Importing from a module that imports this one would make a cycle that breaks at load time
  // (a const read before it is initialised): the declaration moves here, and that module imports it.
  if (source.getImportDeclarations().some((d) => d.getModuleSpecifierSourceFile() === file)) {
    moves.push({ statement, name: free.name, source });
    return;
  }
  push(exports, source, statement);
  const typeOnly = Node.isInterfaceDeclaration(statement) || Node.isTypeAliasDeclaration(statement);
  push(imports, file, { specifier: specifierFrom(file, source), name: free.name, typeOnly });
}

function requestEntries(plan: RoutePlan, settings: Settings): string[] {
  const { unit } = settings;
  return [...plan.parts].map(([part, schema]) => {
    const type = plan.partTypes.get(part);
    let text = schema.getText();
    if (type !== undefined && !Node.isIdentifier(schema)) {
      const at = schema.getDescendants().find((n) => Node.isPropertyAccessExpression(n) && n.getText() === `${settings.joi}.object`) ?? (Node.isCallExpression(schema) ? undefined : undefined);
      if (at !== undefined) text = `${text.slice(0, at.getEnd() - schema.getStart())}<${type}, true>${text.slice(at.getEnd() - schema.getStart())}`;
    }
    return `${part}: ${reindent(text, indentOf(schema), unit + unit)}`;
  });
}

function declarationText(plan: RoutePlan, path: string, settings: Settings): string {
  const { quote, unit } = settings;
  const request = plan.shared ? [] : requestEntries(plan, settings);
  const handlerText = reindent(plan.rewritten.text, indentOf(plan.handler), unit);
  const fields = [
    `method: ${literal(plan.site.method, quote)}`,
    `path: ${literal(path, quote)}`,
    `operationId: ${plan.operationId}`,
    `summary: ${plan.summary}`,
    ...(plan.auth === undefined ? [] : [`auth: ${plan.auth}`]),
    ...(plan.middleware.length === 0 ? [] : [`middleware: [${plan.middleware.map((m) => m.getText()).join(', ')}]`]),
    ...(plan.shared ? [`request: ${plan.site.validator.getName()}`] : request.length === 0 ? [] : [`request: { ${request.join(', ')} }`]),
    `responses: ${plan.responses}`,
    ...(plan.description === undefined || plan.description.errors.length === 0 ? [] : [`errors: [${plan.description.errors.map((code) => literal(code, quote)).join(', ')}]`]),
    `handler: ${Node.isFunctionDeclaration(plan.handler) ? handlerText.replace(/^export\s+(default\s+)?/, '') : handlerText}`,
  ];
  return `defineRoute({\n${fields.map((field) => `${unit}${field},`).join('\n')}\n})`;
}

// The descriptions leave their arrays; the document that read them gets the group.
function documentChanges(documents: readonly RoutePlan[], groupReference: (docFile: SourceFile, docCall: Node) => string | undefined, context: GroupContext): Map<SourceFile, Edit[]> | string {
  const edits = new Map<SourceFile, Edit[]>();
  const byArray = new Map<Node, RoutePlan[]>();
  for (const plan of documents) push(byArray, plan.description!.array, plan);
  const consumers = new Map<Node, Node[]>(); // createOpenApiDocument options → the `routes` properties that empty
  for (const [array, plans] of byArray) {
    const elements = (array as Node & { getElements(): Node[] }).getElements();
    const leaving: Node[] = plans.map((plan) => plan.description!.element);
    const remaining = elements.filter((element) => !leaving.includes(element));
    for (const element of leaving) {
      const index = elements.indexOf(element);
      const text = array.getSourceFile().getFullText();
      let end = element.getEnd();
      while (/[\s,]/.test(text[end] ?? '') && text[end] !== ']') end += 1;
      let start = element.getStart();
      if (index === elements.length - 1 && index > 0 && !leaving.includes(elements[index - 1]!)) start = elements[index - 1]!.getEnd();
      else if (index === elements.length - 1) {
        while (start > 0 && /\s/.test(text[start - 1]!)) start -= 1;
      }
      push(edits, array.getSourceFile(), { start, end: index === elements.length - 1 ? element.getEnd() + (text.slice(element.getEnd()).match(/^,/)?.[0].length ?? 0) : end, text: '' });
    }
    // Which documents read this array: written in one, or a const spread into them.
    const owner = array.getParent();
    let readers: Node[] = [];
    if (Node.isPropertyAssignment(owner)) readers = [owner.getParentOrThrow()];
    else if (Node.isVariableDeclaration(owner)) {
      for (const ref of (owner.getNameNode() as Node & { findReferencesAsNodes(): Node[] }).findReferencesAsNodes()) {
        const parent = ref.getParent();
        const spread = Node.isSpreadElement(parent) ? parent : undefined;
        const list = spread?.getParent();
        const property = spread === undefined ? parent : list?.getParent();
        const options = property?.getParent();
        if (Node.isPropertyAssignment(property) && property.getName() === 'routes' && Node.isObjectLiteralExpression(options)) {
          readers.push(options);
          if (remaining.length === 0 && spread !== undefined) push(edits, ref.getSourceFile(), elementRemoval(spread));
          if (remaining.length === 0 && spread === undefined) push(consumers, options, property);
        }
      }
      if (remaining.length === 0) {
        const statement = owner.getVariableStatementOrThrow();
        push(edits, statement.getSourceFile(), statementLines(statement));
        for (const ref of (owner.getNameNode() as Node & { findReferencesAsNodes(): Node[] }).findReferencesAsNodes()) {
          if (Node.isImportSpecifier(ref.getParent())) push(edits, ref.getSourceFile(), specifierRemoval(ref.getParentOrThrow()));
        }
      }
    }
    for (const options of readers) {
      if (!consumers.has(options)) consumers.set(options, []);
      if (remaining.length === 0 && Node.isPropertyAssignment(owner)) consumers.get(options)!.push(owner);
    }
  }
  for (const [options, emptied] of consumers) {
    const call = options.getParentOrThrow();
    const reference = groupReference(options.getSourceFile(), call);
    if (reference === undefined) return `createOpenApiDocument (${options.getSourceFile().getBaseName()}:${options.getStartLineNumber()}) cannot reach the route group, which is built inside the router's function: call that function where the document is made`;
    const object = options as Node & { getProperty(name: string): Node | undefined };
    const routes = object.getProperty('routes');
    const groups = object.getProperty('routeGroups');
    const routesList = Node.isPropertyAssignment(routes) ? routes.getInitializer() : undefined;
    const allGone = routes !== undefined && (emptied.includes(routes) || (Node.isArrayLiteralExpression(routesList) && routesList.getElements().every((element) => willEmpty(element, byArray, documents))));
    if (Node.isPropertyAssignment(groups) && Node.isArrayLiteralExpression(groups.getInitializer())) {
      const list = groups.getInitializer()!.asKindOrThrow(SyntaxKind.ArrayLiteralExpression);
      const at = list.getElements().at(-1)?.getEnd() ?? list.getStart() + 1;
      push(edits, options.getSourceFile(), { start: at, end: at, text: list.getElements().length === 0 ? reference : `, ${reference}` });
      if (allGone && routes !== undefined) push(edits, options.getSourceFile(), propertyRemoval(routes));
    } else if (allGone && routes !== undefined) {
      push(edits, options.getSourceFile(), { start: routes.getStart(), end: routes.getEnd(), text: `routeGroups: [${reference}]` });
    } else if (routes !== undefined) {
      push(edits, options.getSourceFile(), { start: routes.getStart(), end: routes.getStart(), text: `routeGroups: [${reference}],\n${indentOf(routes)}` });
    }
  }
  void context;
  return edits;
}

// Whether an element of a document's routes list goes: a description leaving, or a spread of an array all of whose descriptions leave.
function willEmpty(element: Node, byArray: Map<Node, RoutePlan[]>, documents: readonly RoutePlan[]): boolean {
  if (Node.isObjectLiteralExpression(element)) return documents.some((plan) => plan.description!.element === element);
  if (!Node.isSpreadElement(element)) return false;
  const declaration = element.getExpression().getSymbol()?.getDeclarations()[0];
  const alias = element.getExpression().getSymbol()?.isAlias() === true ? element.getExpression().getSymbol()!.getAliasedSymbol()?.getDeclarations()[0] : undefined;
  const target = alias ?? declaration;
  if (!Node.isVariableDeclaration(target)) return false;
  const array = target.getInitializer();
  if (!Node.isArrayLiteralExpression(array)) return false;
  const leaving = byArray.get(array)?.length ?? 0;
  return leaving === array.getElements().length;
}

function elementRemoval(element: Node): Edit {
  const text = element.getSourceFile().getFullText();
  let end = element.getEnd();
  while (/[\s,]/.test(text[end] ?? '') && text[end] !== ']') end += 1;
  return { start: element.getStart(), end, text: '' };
}

function propertyRemoval(property: Node): Edit {
  const text = property.getSourceFile().getFullText();
  let end = property.getEnd();
  while (/[\s,]/.test(text[end] ?? '') && text[end] !== '}') end += 1;
  return { start: property.getStart(), end, text: '' };
}
