import { ConfigError, DEFAULT_PORT, loadConfig, packageVersion } from '../src/config.js';

const fixedVersion = (): string => '1.2.3';

describe('loadConfig', () => {
  it('defaults to port 5000, every interface, and the package version', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      name: 'hello-world',
      version: packageVersion(),
      host: '0.0.0.0',
      port: DEFAULT_PORT,
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
    });
    expect(DEFAULT_PORT).toBe(5000);
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reads PORT, HOST, SERVICE_NAME, SERVICE_VERSION, LOG_LEVEL and SHUTDOWN_TIMEOUT_MS', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '127.0.0.1',
        SERVICE_NAME: 'greeter',
        SERVICE_VERSION: '2.0.0',
        LOG_LEVEL: 'WARN',
        SHUTDOWN_TIMEOUT_MS: '2500',
      },
      fixedVersion,
    );
    expect(config).toEqual({
      name: 'greeter',
      version: '2.0.0',
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'warn',
      shutdownTimeoutMs: 2500,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', SERVICE_VERSION: ' ' }, fixedVersion)).toMatchObject({
      port: 5000,
      version: '1.2.3',
    });
  });

  it.each([['abc'], ['-1'], ['65536'], ['50.5']])('refuses PORT=%s with a message', (port) => {
    expect(() => loadConfig({ PORT: port }, fixedVersion)).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: port }, fixedVersion)).toThrow(
      `PORT must be a whole number from 0 to 65535; got "${port}"`,
    );
  });

  it('refuses an unknown LOG_LEVEL', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, fixedVersion)).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"',
    );
  });
});
