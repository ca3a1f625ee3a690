/** Injection token of the AppConfig. */
export const APP_CONFIG = Symbol('AppConfig');
