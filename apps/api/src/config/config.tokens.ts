/**
 * Injection tokens of the configuration and the root logger. In a file of their own, so that a
 * provider ConfigModule imports (the Clock) can inject them without an import cycle.
 */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
