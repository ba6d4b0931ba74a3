import { Writable } from 'node:stream';
import { createLogger } from '../../core/logger.js';
import { LogLevel } from '@slack/web-api';
import { slackLogger } from '../../core/adapters/slack/slack-logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test', level: 'info', destination }) };
}

describe('logger', () => {
  it('redacts tokens and passwords by path, at any of the first three levels', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        token: 'xoxb-top',
        slack: { botToken: 'xoxb-nested', signingSecret: 'shh' },
        registry: { credentials: { username: 'u', password: 'hunter2' } },
        request: { headers: { authorization: 'Bearer xoxb-header' } },
      },
      'config loaded',
    );
    const line = lines.join('');
    for (const secret of ['xoxb-top', 'xoxb-nested', 'shh', 'hunter2', 'xoxb-header']) {
      expect(line).not.toContain(secret);
    }
    expect(JSON.parse(line)).toMatchObject({ msg: 'config loaded', token: '[redacted]' });
  });

  it('keeps fields that are not secrets', () => {
    const { lines, logger } = capture();
    logger.info({ service: 'hello-world', environment: 'staging' }, 'deploy queued');
    expect(JSON.parse(lines.join(''))).toMatchObject({
      msg: 'deploy queued',
      service: 'hello-world',
      environment: 'staging',
    });
  });
});

describe('the Slack logger bridge', () => {
  it('keeps what Bolt logs as objects, so that their secrets are redacted too', () => {
    const { lines, logger } = capture();
    const bolt = slackLogger(logger, { component: 'bolt', level: LogLevel.INFO });
    bolt.warn(
      'request failed:',
      {
        token: 'xoxb-bolt-top',
        request: { headers: { authorization: 'Bearer xoxb-bolt-header' } },
      },
      { options: { body: { client_secret: 'x', token: 'xoxb-bolt-deep' } } },
      new Error('An API error occurred: invalid_auth'),
    );
    const line = lines.join('');
    for (const secret of ['xoxb-bolt-top', 'xoxb-bolt-header', 'xoxb-bolt-deep']) {
      expect(line).not.toContain(secret);
    }
    expect(JSON.parse(line)).toMatchObject({
      component: 'bolt',
      msg: 'request failed:',
      err: { message: 'An API error occurred: invalid_auth' },
      details: [{ token: '[redacted]' }, { options: { body: { token: '[redacted]' } } }],
    });
  });
});
