import { join } from 'node:path';
import type Docker from 'dockerode';
import { DockerodeImageBuilder } from '../../core/adapters/dockerode-image-builder.js';
import { isDeployError } from '../../core/domain/deploy-error.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const contextDir = join(repoRoot, 'test', 'fixtures', 'images', 'tiny-node');

async function pathsInImage(
  docker: Docker,
  image: string,
  paths: string[],
): Promise<Record<string, boolean>> {
  const container = await docker.createContainer({ Image: image, Cmd: ['true'] });
  try {
    const entries = await Promise.all(
      paths.map(async (path) => {
        try {
          // getArchive, not infoArchive: a HEAD through docker-modem leaves its socket open.
          const archive = await container.getArchive({ path });
          archive.resume();
          return [path, true] as const;
        } catch {
          return [path, false] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  } finally {
    await container.remove({ force: true });
  }
}

async function pull(docker: Docker, reference: string): Promise<void> {
  const stream = await docker.pull(reference);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

describe('dockerode image builder with a real Docker Engine and registry', () => {
  const docker = dockerFromHost(testEnv().dockerHost);
  const builder = new DockerodeImageBuilder(docker);
  const name = uniqueName('tiny-node');
  const plainRef = `${testEnv().registry.address}/harbormaster-test/${name}:v1`;
  const authRef = `${testEnv().authRegistry.address}/harbormaster-test/${name}:v1`;
  const createdImages: string[] = [];

  beforeAll(async () => {
    const log: string[] = [];
    await builder.build({
      contextDir,
      dockerfile: 'Dockerfile',
      tags: [plainRef, authRef],
      buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
      labels: { 'dev.harbormaster.service': name },
      onLog: (line) => log.push(line),
    });
    createdImages.push(plainRef, authRef);
    expect(log.join('\n')).toMatch(/Step \d+\/\d+ : FROM/);
  });

  afterAll(async () => {
    for (const image of createdImages) {
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  it('builds from the local base, with labels, honouring .dockerignore', async () => {
    const inspected = await docker.getImage(plainRef).inspect();
    expect(inspected.Config.Labels).toMatchObject({ 'dev.harbormaster.service': name });
    expect(
      await pathsInImage(docker, plainRef, [
        '/app/app.js',
        '/app/built-at',
        '/app/secrets.env',
        '/app/debug.log',
      ]),
    ).toEqual({
      '/app/app.js': true,
      '/app/built-at': true,
      '/app/secrets.env': false,
      '/app/debug.log': false,
    });
  });

  it('pushes to the registry and the image comes back by its digest', async () => {
    const { digest } = await builder.push({ reference: plainRef });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const byDigest = `${testEnv().registry.address}/harbormaster-test/${name}@${digest}`;
    await pull(docker, byDigest);
    createdImages.push(byDigest);
    const pulled = await docker.getImage(byDigest).inspect();
    expect(pulled.RepoDigests).toContain(byDigest);
    expect(pulled.Config.Labels).toMatchObject({ 'dev.harbormaster.service': name });
  });

  it('is refused by a registry that requires credentials when it has none', async () => {
    const refused = await builder.push({ reference: authRef }).catch((error: unknown) => error);
    expect(isDeployError(refused, 'REGISTRY_AUTH')).toBe(true);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `^the registry ${testEnv().authRegistry.address} refused the push: .*Check REGISTRY_USERNAME and REGISTRY_PASSWORD\\.$`,
      ),
    );
  });

  it('is refused with a wrong password, and never repeats the password', async () => {
    const wrong = 'not-the-password-123';
    const refused = await builder
      .push({
        reference: authRef,
        credentials: { username: testEnv().authRegistry.username, password: wrong },
      })
      .catch((error: unknown) => error);
    expect(isDeployError(refused, 'REGISTRY_AUTH')).toBe(true);
    expect((refused as Error).message).not.toContain(wrong);
  });

  it('pushes to that registry with the configured credentials', async () => {
    const { username, password } = testEnv().authRegistry;
    const { digest } = await builder.push({
      reference: authRef,
      credentials: { username, password },
    });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reports a failing build as BUILD_FAILED, with the step output in the log', async () => {
    const log: string[] = [];
    const failed = await builder
      .build({
        contextDir,
        dockerfile: 'Dockerfile.broken',
        tags: [`${testEnv().registry.address}/harbormaster-test/${name}:broken`],
        buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
        onLog: (line) => log.push(line),
      })
      .catch((error: unknown) => error);
    expect(isDeployError(failed, 'BUILD_FAILED')).toBe(true);
    expect((failed as Error).message).toMatch(
      /^docker build failed: The command .* returned a non-zero code: 3$/,
    );
    expect(log).toContain('compile error: greeting is not defined');
  });
});
