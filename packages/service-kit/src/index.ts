export { createService, type Service, type ServiceOptions } from './create-service';
export { runService, type RunServiceOptions } from './run-service';
export { HttpError } from './http-error';
export { createLogger, parseLogLevel, type Logger, type LogFields, type LogLevel } from './logger';
export type { JsonReply, RouteContext, RouteHandler, Routes } from './router';
export type { ListenConfig } from './listen-config';
export type { ServiceState } from './probe-routes';
export { resolveVersionInfo, type VersionInfo } from './version-info';
export { createNotifier, type Notifier } from './sd-notify';
