export { ConfigError, ToolError, reportError } from './errors';
export { isCi } from './is-ci';
export { logger, timedStep } from './logger';
export { followLines, runCommand, type FollowOptions, type RunOptions, type RunResult } from './run-command';
export { fleetDirOf, inventoryPathOf, privateKeyPathOf, resolveWorkspaceRoot } from './workspace';
