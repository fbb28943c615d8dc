import type { Express, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { AppExtension } from '../http/create-service-app.js';
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

// Only these files of swagger-ui-dist are served, from the installed package (never a CDN).
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

function page(pagePath: string, title: string): string {
  const escaped = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

/**
 * Serves the OpenAPI document at `/openapi.json` and an interactive Swagger UI page at `/docs`,
 * with Swagger UI's files from the installed `swagger-ui-dist` and a Content-Security-Policy
 * that lets that one page load (the API keeps its strict one). Mount it as an operational route.
 *
 * @see https://github.com/swagger-api/swagger-ui
 * @example
 * createServiceApp({ config, logger, routes, operational: [docsRoutes({ document, enabled: config.DOCS_ENABLED })] });
 */
export function docsRoutes(options: DocsRoutesOptions): AppExtension {
  const documentPath = options.documentPath ?? '/openapi.json';
  const pagePath = options.pagePath ?? '/docs';
  const enabled = options.enabled ?? true;
  const assetsDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const info = options.document.info as { title?: string } | undefined;
  const html = page(pagePath, `${info?.title ?? 'API'} docs`);
  const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(documentPath)}, dom_id: '#swagger-ui', deepLinking: true });\n`;
  const docsPolicy: RequestHandler = helmet.contentSecurityPolicy({ useDefaults: false, directives: { ...DOCS_CONTENT_SECURITY_POLICY } });
  // The page is an HTML document: it gets helmet's document headers, which API answers go without.
  const documentHeaders: RequestHandler[] = [helmet.crossOriginOpenerPolicy(), helmet.originAgentCluster(), helmet.xDnsPrefetchControl(), helmet.xDownloadOptions()];

  return function mountDocsRoutes(app: Express): void {
    if (!enabled) return;
    app.get(documentPath, noStore, function openApiDocument(_req: Request, res: Response) {
      res.json(options.document);
    });
    app.get(pagePath, docsPolicy, ...documentHeaders, function docsPage(_req: Request, res: Response) {
      res.type('html').send(html);
    });
    app.get(`${pagePath}/init.js`, docsPolicy, function docsInit(_req: Request, res: Response) {
      res.type('text/javascript').send(init);
    });
    // One route per file, so nothing else of the package is reachable.
    for (const [asset, type] of Object.entries(ASSETS)) {
      app.get(`${pagePath}/${asset}`, docsPolicy, function docsAsset(_req: Request, res: Response) {
        // `root` keeps send's dot-folder check off the install path (pnpm keeps packages under `.pnpm`).
        res.sendFile(asset, { root: assetsDir, headers: { 'Content-Type': type }, maxAge: '1h' });
      });
    }
  };
}
