import type { Express, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { AppExtension } from '../http/app-extension.js';
import { preparedHeadersMiddleware, recordHeaders } from '../http/prepared-headers.js';
import type { Logger } from '../logging/logger.js';
import { noStore } from '../http/no-store.js';
import type { OpenApiDocument } from './openapi.js';

/** Options of {@link docsRoutes}. */
export interface DocsRoutesOptions {
  readonly document: OpenApiDocument;
  /** Mounts nothing when false (production default, see `DOCS_ENABLED`). @default true */
  readonly enabled?: boolean;
  /** Where the document is served. @default '/openapi.json' */
  readonly documentPath?: string;
  /** Where the interactive page is served; its assets live under it. @default '/docs' */
  readonly pagePath?: string;
  /** Told once, at creation, when the page is enabled but `swagger-ui-dist` is not installed. @default nothing logged */
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * The docs page may load its own scripts, styles and images from this origin and fetch the
 * document; Swagger UI sets inline styles. Nothing else: no CDN, no framing, no inline script.
 */
export const DOCS_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
} as const;

/** The docs pages' Content-Security-Policy, as helmet sets it (the test compares against this). @internal */
export function docsHelmetPolicy(): RequestHandler {
  return helmet.contentSecurityPolicy({ useDefaults: false, directives: { ...DOCS_CONTENT_SECURITY_POLICY } });
}

/** helmet's headers for HTML documents, which the docs page is and API answers are not. @internal */
export function docsDocumentHeaders(): RequestHandler[] {
  return [
    helmet.crossOriginOpenerPolicy(),
    helmet.originAgentCluster(),
    helmet.xDnsPrefetchControl(),
    helmet.xDownloadOptions(),
  ];
}

// Only these files of swagger-ui-dist are served, from the installed package (never a CDN).
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(pagePath: string, escaped: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escaped}</title>
<link rel="stylesheet" href="${pagePath}/swagger-ui.css">
<link rel="icon" type="image/png" href="${pagePath}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${pagePath}/swagger-ui-bundle.js"></script>
<script src="${pagePath}/init.js"></script>
</body>
</html>
`;
}

// The page without its UI: what to install, and where the document is meanwhile. No script.
function missingUiPage(documentPath: string, title: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
<p>The interactive API docs need the <code>swagger-ui-dist</code> package, an optional peer dependency of @org/platform: <code>npm install swagger-ui-dist</code> in this service, then restart it.</p>
<p>The OpenAPI document is at <a href="${documentPath}">${documentPath}</a>.</p>
</body>
</html>
`;
}

/** The folder of the installed `swagger-ui-dist`, or undefined when the service did not install it. */
function swaggerUiFolder(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Serves the OpenAPI document at `/openapi.json` and an interactive Swagger UI page at `/docs`,
 * with Swagger UI's files from the installed `swagger-ui-dist` and a Content-Security-Policy
 * that lets that one page load (the API keeps its strict one). Mount it as an operational route.
 * `swagger-ui-dist` is an optional peer dependency: only a service that serves `/docs` installs it.
 * Without it, `/openapi.json` is still served and `/docs` is a page saying what to install.
 *
 * @see https://github.com/swagger-api/swagger-ui
 * @example
 * createServiceApp({ config, logger, routes, operational: [docsRoutes({ document, enabled: config.DOCS_ENABLED })] });
 */
export function docsRoutes(options: DocsRoutesOptions): AppExtension {
  const documentPath = options.documentPath ?? '/openapi.json';
  const pagePath = options.pagePath ?? '/docs';
  const enabled = options.enabled ?? true;
  const assetsDir = enabled ? swaggerUiFolder() : undefined;
  const info = options.document.info as { title?: string } | undefined;
  const title = escapeHtml(`${info?.title ?? 'API'} docs`);
  const html = assetsDir === undefined ? missingUiPage(documentPath, title) : page(pagePath, title);
  if (enabled && assetsDir === undefined)
    options.logger?.warn('docs_ui_not_installed', {
      path: pagePath,
      note: 'install swagger-ui-dist (an optional peer of @org/platform) to serve the interactive docs; the OpenAPI document is served',
    });
  const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(documentPath)}, dom_id: '#swagger-ui', deepLinking: true });\n`;
  // helmet decides the headers once; each answer gets them written in one loop.
  const docsPolicy = preparedHeadersMiddleware(recordHeaders(docsHelmetPolicy()));
  // The page is an HTML document: it gets helmet's document headers, which API answers go without.
  const documentHeaders = preparedHeadersMiddleware(recordHeaders(...docsDocumentHeaders()));

  return function mountDocsRoutes(app: Express): void {
    if (!enabled) return;
    app.get(documentPath, noStore, function openApiDocument(_req: Request, res: Response) {
      res.json(options.document);
    });
    app.get(pagePath, docsPolicy, documentHeaders, function docsPage(_req: Request, res: Response) {
      res.type('html').send(html);
    });
    app.get(`${pagePath}/init.js`, docsPolicy, function docsInit(_req: Request, res: Response) {
      res.type('text/javascript').send(init);
    });
    if (assetsDir === undefined) return;
    // One route per file, so nothing else of the package is reachable.
    for (const [asset, type] of Object.entries(ASSETS)) {
      app.get(`${pagePath}/${asset}`, docsPolicy, function docsAsset(_req: Request, res: Response) {
        // `root` keeps send's dot-folder check off the install path (pnpm keeps packages under `.pnpm`).
        res.sendFile(asset, { root: assetsDir, headers: { 'Content-Type': type }, maxAge: '1h' });
      });
    }
  };
}
