import { startBotHarness } from '../support/bot-harness.js';
import { startRedisServer } from '../support/redis-server.js';
import { testEnv } from '../support/test-env.js';

describe('bot health routes', () => {
  it('/healthz answers while the process serves; /readyz follows Redis', async () => {
    const redis = await startRedisServer(testEnv().workDir);
    const harness = await startBotHarness({ redisUrl: redis.url });
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${harness.port}${path}`);
      return { status: response.status, body: await response.json() };
    };
    try {
      expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await get('/readyz')).toEqual({
        status: 200,
        body: { status: 'ready', checks: { redis: 'up' } },
      });
      await redis.process.stop();
      expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      // Down, not the connection error: that would name hosts and addresses.
      expect(await get('/readyz')).toEqual({
        status: 503,
        body: { status: 'not ready', checks: { redis: 'down' } },
      });
    } finally {
      await harness.stop().catch(() => undefined);
    }
  });
});
