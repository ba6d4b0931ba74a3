import { join } from 'node:path';
import { DockerodeImageBuilder } from '../../core/adapters/dockerode-image-builder.js';
import { dockerFromHost } from './docker-engine.js';
import { repoRoot } from './paths.js';
import { testEnv } from './test-env.js';

/** Fixture services (test/fixtures/services) that tests run as pods in the Kubernetes double. */
export type FixtureService = 'tiny' | 'exits-at-start';

/**
 * Builds a fixture service's image and pushes it to the test registry under each tag, so that the
 * double's kubelet can pull and run it. `tiny` answers HTTP on PORT (5000); `exits-at-start`
 * exits 1 as soon as it starts. Returns the repository (registry host included).
 */
export async function pushFixtureImage(options: {
  fixture: FixtureService;
  /** The repository path in the test registry, e.g. `<unique>/hello-world`. */
  repository: string;
  tags: string[];
}): Promise<string> {
  const { registry, dockerHost, nodeBaseImage } = testEnv();
  const builder = new DockerodeImageBuilder(dockerFromHost(dockerHost));
  const repository = `${registry.address}/${options.repository}`;
  const references = options.tags.map((tag) => `${repository}:${tag}`);
  await builder.build({
    contextDir: join(repoRoot, 'test', 'fixtures', 'services', options.fixture),
    dockerfile: 'Dockerfile',
    tags: references,
    buildArgs: { BASE_IMAGE: nodeBaseImage },
    networkMode: 'host',
  });
  for (const reference of references) await builder.push({ reference });
  return repository;
}
