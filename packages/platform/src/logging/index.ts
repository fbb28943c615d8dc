export { createLogger, type LogFields, type LogLevel, type Logger, type LoggerOptions } from './logger.js';
export { REDACTED, isSecretKey, redactFields } from './redact.js';
