export { createLifecycle, type Lifecycle, type LifecycleConfig, type LifecycleOptions, type ShutdownHookOptions, type StartedService } from './lifecycle.js';
export type { StartupHook, StartupHookContext, StartupHookOptions, StartupRetryOptions } from './startup-hooks.js';
