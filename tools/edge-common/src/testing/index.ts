export { executorContext } from './executor-context';
export {
  createFixtureWorkspace,
  npmInstall,
  readFixtureJson,
  removeFixtureWorkspaces,
  writeFixtureFile,
} from './fixture-workspace';
export { findFreePort } from '../free-port';
export { startHammer, type HammerFigures } from './request-hammer';
export { commitAll, copyWorkspaceToThrowawayRepo, git, WORKSPACE_ROOT } from './workspace-copy';
export { testFleetName } from './test-fleet-name';
export { captureOutput, logToStderr } from './capture-output';
export { startRegistry, type RegistryOptions, type TestRegistry } from './registry';
