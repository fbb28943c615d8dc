export { createLifecycle, type Lifecycle, type LifecycleOptions } from './lifecycle.js';
export type { StartedService } from './http-server.js';
export type { LifecycleConfig } from './settings.js';
export type { ShutdownHookOptions } from './shutdown-hooks.js';
export type { StartupHook, StartupHookContext, StartupHookOptions, StartupRetryOptions } from './startup-hooks.js';
