import type { MigrationEntry } from '../src/codemod/migration.js';

/**
 * Every migration of `@org/platform`, by the platform version that needs it (nx's
 * `migrations.json`, as code so that each implementation is checked to exist). A release that
 * deprecates or breaks an API adds its entry here, in the same release, and its changeset says so.
 */
export const MIGRATIONS: readonly MigrationEntry[] = [
  {
    id: 'route-declaration',
    version: '0.2.0',
    description: 'validate() + RouteDescription → one declaration per route (defineRoute + createRouteGroup)',
    deprecations: ['ORG_PLATFORM_DEP001', 'ORG_PLATFORM_DEP002'],
    note:
      'Declare the route once: defineRoute({ method, path, operationId, summary, auth, request: { params, query, body }, responses, handler }) ' +
      'returning { status, body, headers }, mounted with createRouteGroup({ basePath, auth, routes }); pass the groups to ' +
      'createOpenApiDocument({ routeGroups }). UPGRADING.md of @org/platform, "Deprecations of this major", shows a route before and after.',
    implementation: async () => (await import('./route-declaration/index.js')).routeDeclaration,
  },
];
