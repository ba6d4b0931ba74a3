import { SlackChat } from '../../core/adapters/slack/slack-chat.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { createLogger } from '../../core/logger.js';
import { queuedMessage } from '../../core/messages/deploy-messages.js';
import { endAbandonedDeploy } from '../../core/use-cases/end-abandoned-deploy.js';
import { startSlackDouble } from '../support/slack/index.js';
import { catalog, deployRequest } from '../support/deploy-fixtures.js';

describe('a deploy no worker will finish', () => {
  it('still ends its message, saying how far it got, and the team is told', async () => {
    const slack = await startSlackDouble({ botToken: 'xoxb-test' });
    try {
      slack.addUser({ id: 'U0ALICE', name: 'alice' });
      slack.addUserGroup({ id: 'S0ONCALL', handle: 'oncall', users: [] });
      slack.addChannel({ id: 'C0DEPLOYS', name: 'deploys' });
      slack.addChannel({ id: 'C0ALERTS', name: 'alerts' });
      const chat = new SlackChat({ token: 'xoxb-test', slackApiUrl: slack.apiUrl });
      const request: DeployRequest = deployRequest({ id: 'deploy-abandoned' });
      request.origin.message = await chat.post('C0DEPLOYS', queuedMessage(request));
      const notifications = {
        failureChannel: 'C0ALERTS',
        mention: { users: [], userGroups: ['S0ONCALL'] },
      };

      await endAbandonedDeploy(
        request,
        { stage: 'build', done: ['source', 'test'] },
        {
          chat,
          catalog: catalog({ notifications }),
          logger: createLogger({ name: 'test', level: 'silent' }),
        },
      );

      const [message] = slack.channel('C0DEPLOYS').messages;
      const lines = message?.rendered.split('\n') ?? [];
      expect(lines[0]).toBe(':x: Deploy of hello-world@main → staging failed');
      expect(lines).toContainEqual(expect.stringMatching(/^:white_check_mark: Source · /));
      expect(lines).toContainEqual(expect.stringMatching(/^:white_check_mark: Test gate · /));
      expect(lines).toContainEqual(expect.stringMatching(/^:x: Build image · /));
      expect(message?.rendered).toContain(
        'the workers running this deploy stopped before it ended, more often than a deploy is resumed. Nothing more will run; deploy again when the workers are healthy.',
      );
      expect(slack.channel('C0ALERTS').render()).toMatch(/@oncall/);
      slack.assertNoUnhandled();
    } finally {
      await slack.stop();
    }
  });
});
