import { WebClient } from '@slack/web-api';
import { SlackDirectory } from '../../core/adapters/slack/slack-directory.js';
import { SlackMembership } from '../../core/adapters/slack/slack-membership.js';
import { startSlackDouble, type SlackDouble } from '../support/slack/index.js';

/**
 * What the README promises: a person's user groups and their membership of the workspace are
 * remembered for at most 60 seconds (the defaults, as bot and worker use them), read from
 * Slack's Web API (the double) again after that.
 */
describe('how long Slack membership is remembered', () => {
  const botToken = 'xoxb-cache-test';
  const bob = { id: 'U0BOB', name: 'bob' };
  const group = { id: 'S0DEPLOYERS', handle: 'deployers' };
  let slack: SlackDouble;
  let client: WebClient;
  let now = 0;

  beforeAll(async () => {
    slack = await startSlackDouble({ botToken });
    slack.addUser(bob);
    client = new WebClient(botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(async () => {
    await slack.stop();
  });

  it('reads a user group again at the latest 60 s after it read it', async () => {
    slack.addUserGroup({ ...group, users: [bob.id] });
    const directory = new SlackDirectory({ client, now: () => now });
    now = 1_000_000;
    expect(await directory.userGroupMembers(group.id)).toEqual([bob.id]);
    slack.addUserGroup({ ...group, users: [] });
    now += 60_000;
    expect(await directory.userGroupMembers(group.id)).toEqual([]);
  });

  it('reads a person (guest, home workspace) again at the latest 60 s after it read them', async () => {
    slack.addUser(bob);
    const membership = new SlackMembership({ client, now: () => now });
    now = 2_000_000;
    expect(await membership.member(bob.id)).toMatchObject({ guest: false });
    slack.addUser({ ...bob, isRestricted: true });
    now += 60_000;
    expect(await membership.member(bob.id)).toMatchObject({ guest: true });
  });
});
