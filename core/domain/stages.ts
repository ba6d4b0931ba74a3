/** The pipeline's stages, in the order they run. */
export const STAGES = ['source', 'test', 'build', 'push', 'deploy', 'verify', 'report'] as const;

export type StageName = (typeof STAGES)[number];

export const STAGE_TITLES: Record<StageName, string> = {
  source: 'Source',
  test: 'Test gate',
  build: 'Build image',
  push: 'Push image',
  deploy: 'Helm upgrade',
  verify: 'Rollout',
  report: 'Address',
};
