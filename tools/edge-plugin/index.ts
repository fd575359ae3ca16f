export { createNodes, createNodesV2 } from './src/plugins/plugin';
// After the tasks: images restored from the Nx cache (archives in dist/) are loaded into the engine.
export { postTasksExecution } from './src/executors/image/lib/restore-after-cache-hit';
