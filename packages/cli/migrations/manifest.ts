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
  {
    id: 'subpath-imports',
    version: '1.0.0',
    description:
      "imports of the names 1.0 moved out of @org/platform's root → their subpaths (@org/platform/http, /client, …)",
    deprecations: [],
    note:
      'A name 1.0 made internal has no new import: the TODO(org-platform) line above the import says why; reach the type through the API ' +
      "that uses it (Parameters<typeof createAuth>[0], Lifecycle['health']) or drop the use. @org/platform-cli's README, \"1.0.0: subpath-imports\", lists what moved where.",
    implementation: async () => (await import('./subpath-imports/index.js')).subpathImports,
  },
  {
    id: 'app-lifecycle',
    version: '1.0.0',
    description:
      'createServiceApp({ health, loadShedder, observability, metrics }) of one lifecycle → createServiceApp({ lifecycle })',
    deprecations: [],
    note:
      'createServiceApp takes health, load shedding and observability from the lifecycle: pass lifecycle: L (what createLifecycle() returned). ' +
      'A health registry or metrics registry of its own goes to createLifecycle({ health, metrics }) instead; the TODO(org-platform) line says which.',
    implementation: async () => (await import('./app-lifecycle/index.js')).appLifecycle,
  },
  {
    id: 'error-registries',
    version: '1.0.0',
    description:
      "defineErrorCodes() registries whose codes routes' errors name → registered in ErrorRegistries (declare module '@org/platform')",
    deprecations: [],
    note:
      "1.0 compiles a route's errors against the registered registries only. A code the TODO(org-platform) line names is in no defineErrorCodes() registry of the project: " +
      "define it in one (a second run registers that registry), register the registry that defines it yourself (declare module '@org/platform' { interface ErrorRegistries { readonly name: typeof registry } }), or correct the code.",
    implementation: async () => (await import('./error-registries/index.js')).errorRegistries,
  },
];
