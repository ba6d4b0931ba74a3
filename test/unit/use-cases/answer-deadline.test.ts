import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../../core/logger.js';
import {
  callBudget,
  DEFAULT_CALL_BUDGET,
  type CommandDependencies,
} from '../../../core/use-cases/command-dependencies.js';
import { deployCommand } from '../../../core/use-cases/deploy-command.js';
import { catalog, PRODUCTION, STAGING } from '../../support/deploy-fixtures.js';
import {
  FakeChat,
  FakeCluster,
  FakeDeployQueue,
  FakeDirectory,
  FakeHelm,
  fakeBrakes,
} from '../../support/fakes/index.js';

/** A directory that answers, but only after `delayMs`. */
class SlowDirectory extends FakeDirectory {
  constructor(private readonly delayMs: number) {
    super({ S0RELEASE: ['U0BOB'] });
  }

  override async userGroupMembers(userGroupId: string): Promise<readonly string[]> {
    await sleep(this.delayMs);
    return super.userGroupMembers(userGroupId);
  }
}

function depsWith(directory: FakeDirectory, answerBy?: number): CommandDependencies {
  return {
    catalog: catalog({ environments: { staging: STAGING, production: PRODUCTION } }),
    queue: new FakeDeployQueue(),
    directory,
    chat: new FakeChat(),
    cluster: new FakeCluster(new FakeHelm()),
    ...fakeBrakes(),
    logger: createLogger({ name: 'test', level: 'silent' }),
    ...(answerBy === undefined ? {} : { answerBy }),
  };
}

const asBob = (deps: CommandDependencies) =>
  deployCommand(
    {
      text: 'hello-world to production',
      origin: { workspace: 'T0ACME', channel: 'C0DEPLOYS', user: { id: 'U0BOB', name: 'bob' } },
      requestId: 'deploy-1',
    },
    deps,
  );

describe('the moment a surface must answer by', () => {
  it('caps every call budget, and leaves none once it has passed', () => {
    expect(callBudget({}, 'queue')).toBe(DEFAULT_CALL_BUDGET.queue);
    const soon = callBudget({ answerBy: Date.now() + 300 }, 'queue');
    expect(soon).toBeGreaterThanOrEqual(0);
    expect(soon).toBeLessThanOrEqual(300);
    expect(callBudget({ answerBy: Date.now() - 1 }, 'authorisation')).toBe(0);
  });

  it('a look-up that would outlast the answer is given up, and the person told so', async () => {
    // Within its own budget (1 s), but past the moment the answer is due.
    const late = await asBob(depsWith(new SlowDirectory(300), Date.now() + 100));
    expect(late).toEqual({ kind: 'authorisation-unavailable', environment: 'production' });
    const inTime = await asBob(depsWith(new SlowDirectory(300)));
    expect(inTime.kind).toBe('queued');
  });
});
