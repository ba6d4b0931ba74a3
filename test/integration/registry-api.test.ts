import { join } from 'node:path';
import { DockerodeImageBuilder } from '../../core/adapters/dockerode-image-builder.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import { keyPrefix } from '../../core/adapters/redis-keys.js';
import { RedisTestedImages } from '../../core/adapters/redis-tested-images.js';
import { parseReference, RegistryApi } from '../../core/adapters/registry-api.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const contextDir = join(repoRoot, 'test', 'fixtures', 'images', 'tiny-node');

describe('the registry API v2 against the real registries', () => {
  const docker = dockerFromHost(testEnv().dockerHost);
  const builder = new DockerodeImageBuilder(docker);
  const api = new RegistryApi();
  const name = uniqueName('registry-api');
  const repository = `${testEnv().authRegistry.address}/harbormaster-test/${name}`;
  const reference = `${repository}:v1`;
  const credentials = {
    username: testEnv().authRegistry.username,
    password: testEnv().authRegistry.password,
  };

  beforeAll(async () => {
    await builder.build({
      contextDir,
      dockerfile: 'Dockerfile',
      tags: [reference],
      buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
    });
  });
  afterAll(async () => {
    await docker
      .getImage(reference)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('finds a pushed manifest by its tag, with credentials, then deletes it by its digest', async () => {
    const { digest } = await builder.push({ reference, credentials });
    expect(await api.manifestDigest(reference, credentials)).toBe(digest);
    await expect(api.manifestDigest(reference)).rejects.toThrow(/answered 401/);
    expect(await api.manifestDigest(`${repository}:no-such-tag`, credentials)).toBeUndefined();

    await api.deleteManifest(repository, digest, credentials);
    expect(await api.manifestDigest(reference, credentials)).toBeUndefined();
    // Deleting what is gone is what was asked for.
    await api.deleteManifest(repository, digest, credentials);
  });

  it('reads references as docker does: loopback over HTTP, anything else over HTTPS', () => {
    expect(parseReference('127.0.0.1:5000/team/app:src-1')).toEqual({
      base: 'http://127.0.0.1:5000/v2/',
      name: 'team/app',
      tag: 'src-1',
    });
    expect(parseReference('registry.example/app:v1').base).toBe('https://registry.example/v2/');
    expect(() => parseReference('app:v1')).toThrow(/not an image reference/);
  });
});

describe('tested images in Redis', () => {
  const redis = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const namespace = uniqueName('tested');
  const tested = new RedisTestedImages({ connection: redis, namespace });
  afterAll(() => {
    redis.disconnect();
  });

  it('records, finds and forgets a pass; a record it cannot read is none', async () => {
    const record = {
      digest: `sha256:${'a'.repeat(64)}`,
      testedAt: '2026-12-05T03:50:00.000Z',
      gate: 'g1',
    };
    await tested.record('r/app:src-1', record);
    expect(await tested.find('r/app:src-1')).toEqual(record);
    expect(await tested.find('r/app:src-2')).toBeUndefined();
    await tested.forget('r/app:src-1');
    expect(await tested.find('r/app:src-1')).toBeUndefined();
    await redis.set(`${keyPrefix(namespace)}tested-image:r/app:src-3`, '{"digest":"sha256:x"}');
    expect(await tested.find('r/app:src-3')).toBeUndefined();
  });
});
