export { ConfigError, ToolError, reportError, type ToolFailure } from './errors';
export { isCi } from './is-ci';
export { logger, setLogSink, timedStep, type LogSink } from './logger';
export { followLines, runCommand, type FollowOptions, type RunOptions, type RunResult } from './run-command';
export { fleetDirOf, inventoryPathOf, privateKeyPathOf, resolveWorkspaceRoot } from './workspace';
export { findFreePort } from './free-port';
