/** In-memory fakes of the ports, for fast tests of orchestration and use cases. */
export { FakeChat, readMessage, type ChatCall } from './fake-chat.js';
export { FakeClock, settle } from './fake-clock.js';
export { FakeCluster } from './fake-cluster.js';
export { FakeDeployQueue } from './fake-deploy-queue.js';
export { FakeDirectory } from './fake-directory.js';
export { FakeHelm } from './fake-helm.js';
export { FakeImageBuilder } from './fake-image-builder.js';
export { FakeImageRegistry, FakeTestedImages } from './fake-image-registry.js';
export { FakeProgramRunner } from './fake-program-runner.js';
export { FakeReleaseLock } from './fake-release-lock.js';
export {
  FakeActionClaims,
  FakeAuditLog,
  FakeCancelRequests,
  FakeDeployHistory,
  FakeDeployJobs,
  FakeDeployLocks,
  FakeReleaseOperations,
  fakeBrakes,
} from './fake-brakes.js';
