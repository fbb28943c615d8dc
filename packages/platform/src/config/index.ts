export { ConfigError, isConfigError, type ConfigProblem } from './config-error.js';
export { describeConfig, renderConfigTable, renderEnvExample, type ConfigFieldDescription } from './describe.js';
export { env, parseList, type ConfigField, type ConfigFields, type ConfigOf, type Environment, type FieldValue, type FileFieldOptions, type StringFieldOptions, type UrlFieldOptions } from './fields.js';
export { configWarnings, loadConfig, type LoadConfigOptions } from './load-config.js';
export { platformConfigFields, type PlatformConfig } from './platform-fields.js';
