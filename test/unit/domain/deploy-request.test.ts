import { deployRequestSchema } from '../../../core/domain/deploy-request.js';
import { deployRequest } from '../../support/deploy-fixtures.js';

describe('the deploy request schema (the queue contract)', () => {
  it('reads a request as the bot queues it', () => {
    const request = deployRequest({
      origin: {
        workspace: 'T0ACME',
        channel: 'C0DEPLOYS',
        user: { id: 'U0ALICE', name: 'alice' },
        message: '1700000000.000100',
      },
    });
    expect(deployRequestSchema.parse(request)).toEqual(request);
  });

  it('reads a job queued by the previous version of the bot, with the same meaning', () => {
    const { id, service, ref, environment, requestedAt } = deployRequest();
    const previous = {
      id,
      service,
      ref,
      environment,
      requestedAt,
      requestedBy: { userId: 'U0ALICE', userName: 'alice' },
      channelId: 'C0DEPLOYS',
      messageTs: '1700000000.000100',
    };
    expect(deployRequestSchema.parse(previous)).toEqual(
      deployRequest({
        origin: {
          channel: 'C0DEPLOYS',
          user: { id: 'U0ALICE', name: 'alice' },
          message: '1700000000.000100',
        },
      }),
    );
  });

  it('refuses a request that mixes the two, or has a field it does not know', () => {
    expect(
      deployRequestSchema.safeParse({ ...deployRequest(), channelId: 'C0DEPLOYS' }).success,
    ).toBe(false);
    expect(deployRequestSchema.safeParse({ ...deployRequest(), extra: 1 }).success).toBe(false);
  });
});
