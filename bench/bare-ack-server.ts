/**
 * The ack figure's baseline: the least a Slack slash-command endpoint can do and still be correct
 * — express, Slack's request signature check, one BullMQ `add` — then an empty 200. Run as its own
 * process, as the bot is: `BARE_PORT`, `REDIS_URL`, `BARE_QUEUE`, `SLACK_SIGNING_SECRET`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const secret = required('SLACK_SIGNING_SECRET');
const connection = new Redis(required('REDIS_URL'), { maxRetriesPerRequest: 1 });
const queue = new Queue(required('BARE_QUEUE'), { connection });

/** Slack's v0 signature over `v0:<timestamp>:<raw body>`, and a timestamp within five minutes. */
function signedBySlack(body: Buffer, timestamp: string, signature: string): boolean {
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
  return (
    expected.length === signature.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
  );
}

const app = express();
app.get('/readyz', (_req, res) => {
  res.send('ok');
});
app.post('/slack/events', express.raw({ type: '*/*' }), (req, res, next) => {
  const body = req.body as Buffer;
  const timestamp = req.header('x-slack-request-timestamp') ?? '';
  const signature = req.header('x-slack-signature') ?? '';
  if (!signedBySlack(body, timestamp, signature)) {
    res.status(401).send('');
    return;
  }
  const fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  queue
    .add('deploy', fields, { jobId: `bare-${fields.trigger_id ?? ''}` })
    .then(() => {
      res.status(200).send('');
    })
    .catch(next);
});
const server = app.listen(Number(required('BARE_PORT')), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void queue.close().then(() => {
    connection.disconnect();
  });
});
