export { docsRoutes, DOCS_CONTENT_SECURITY_POLICY, type DocsRoutesOptions } from './docs-routes.js';
export { toJsonSchema, type JsonSchema } from './json-schema.js';
export { createOpenApiDocument, type OpenApiDocument, type OpenApiDocumentOptions, type OpenApiLicense } from './openapi.js';
