export { createNodes, createNodesV2 } from './src/plugins/plugin';
