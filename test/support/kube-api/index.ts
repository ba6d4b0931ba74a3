export { startKubeApiDouble, type KubeApiDouble, type KubeApiDoubleOptions } from './server.js';
export type { ImageFailure, ImageFailureRule } from './controllers/simulation-settings.js';
export type { RequestRecord, UnhandledRequest } from './http-handler.js';
export { renderKubeconfig } from './kubeconfig.js';
export { DEFAULT_NODES, type SeedNode } from './cluster-seed.js';
