import { Writable } from 'node:stream';
import { createLogger } from '../../core/logger.js';

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
