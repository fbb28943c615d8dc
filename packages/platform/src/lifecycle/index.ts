export { createLifecycle, type Lifecycle, type LifecycleConfig, type LifecycleOptions, type ShutdownHookOptions, type StartedService } from './lifecycle.js';
