export { startKubeApiDouble, type KubeApiDouble, type KubeApiDoubleOptions } from './server.js';
export { connectToPod } from './kubelet/pod-connection.js';
export type { RequestRecord, UnhandledRequest } from './http-handler.js';
export { renderKubeconfig } from './kubeconfig.js';
export { DEFAULT_NODES, type SeedNode } from './cluster-seed.js';
