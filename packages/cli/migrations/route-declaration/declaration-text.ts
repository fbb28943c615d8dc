import { Node } from 'ts-morph';
import type { RoutePlan } from './plan-route.js';
import { literal } from '../../src/codemod/source-text.js';
import { indentOf, reindent } from './text.js';

/** How the file writes code: whether it is JavaScript, its name for joi, its quote, its indentation unit. */
export interface Settings {
  readonly javascript: boolean;
  readonly joi: string;
  readonly quote: string;
  readonly unit: string;
}

/** The route's `request` entries (`params: joi.object<{ id: string }, true>({ … })`), each untyped schema typed. */
export function requestEntries(plan: RoutePlan, settings: Settings): string[] {
  const { unit } = settings;
  return [...plan.parts].map(([part, schema]) => {
    const type = plan.partTypes.get(part);
    let text = schema.getText();
    if (type !== undefined && !Node.isIdentifier(schema)) {
      const at = schema
        .getDescendants()
        .find(
          (n) =>
            Node.isPropertyAccessExpression(n) &&
            n.getName() === 'object' &&
            n.getExpression().getText() === settings.joi,
        );
      if (at !== undefined)
        text = `${text.slice(0, at.getEnd() - schema.getStart())}<${type}, true>${text.slice(at.getEnd() - schema.getStart())}`;
    }
    return `${part}: ${reindent(text, indentOf(schema), unit + unit)}`;
  });
}

/**
 * The `defineRoute({ … })` call of a route, at column 0: method, path (relative to its group),
 * operationId, summary, auth, middleware, request, responses, errors and the rewritten handler.
 */
export function declarationText(plan: RoutePlan, path: string, settings: Settings): string {
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
    ...(plan.shared
      ? [`request: ${plan.site.validatorArg.getText()}`]
      : request.length === 0
        ? []
        : [`request: { ${request.join(', ')} }`]),
    `responses: ${plan.responses}`,
    ...(plan.description === undefined || plan.description.errors.length === 0
      ? []
      : [`errors: [${plan.description.errors.map((code) => literal(code, quote)).join(', ')}]`]),
    `handler: ${handlerExpression(plan, handlerText)}`,
  ];
  return `defineRoute({\n${fields.map((field) => `${unit}${field},`).join('\n')}\n})`;
}

// The handler as an expression: a function declaration without its export, a method as a named function.
function handlerExpression(plan: RoutePlan, text: string): string {
  if (Node.isFunctionDeclaration(plan.handler)) return text.replace(/^export\s+(default\s+)?/, '');
  if (Node.isMethodDeclaration(plan.handler)) return text.replace(/^(async\s+)?/, (prefix) => `${prefix}function `);
  return text;
}
