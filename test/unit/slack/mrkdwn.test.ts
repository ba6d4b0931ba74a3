import { renderMrkdwn, type NameLookup } from '../../support/slack/block-kit/mrkdwn.js';

const names: NameLookup = {
  userName: (id) => ({ U1: 'alice', U2: 'bob' })[id],
  groupHandle: (id) => ({ S1: 'deployers' })[id],
  channelName: (id) => ({ C1: 'deploys' })[id],
};

describe('mrkdwn as a person reads it', () => {
  it('shows user, group and channel mentions by name', () => {
    expect(renderMrkdwn('<@U1> deployed, cc <!subteam^S1> in <#C1>', names)).toBe(
      '@alice deployed, cc @deployers in #deploys',
    );
  });

  it('falls back to the label, then the id, for names it does not know', () => {
    expect(renderMrkdwn('<@U9|zoe> and <@U8> and <!subteam^S9|@ops>', names)).toBe(
      '@zoe and @U8 and @ops',
    );
  });

  it('shows links by their label, bare links by their address', () => {
    expect(
      renderMrkdwn('see <https://ci.example/1|build 1> or <https://ci.example/2>', names),
    ).toBe('see build 1 or https://ci.example/2');
    expect(renderMrkdwn('<mailto:ops@example.com|ops> <mailto:x@example.com>', names)).toBe(
      'ops x@example.com',
    );
  });

  it('shows special mentions and dates as Slack does', () => {
    expect(renderMrkdwn('<!here> <!channel> <!date^1392734382^{date}|Feb 18>', names)).toBe(
      '@here @channel Feb 18',
    );
  });

  it('drops bold, italic and strike marks but keeps snake_case words intact', () => {
    expect(renderMrkdwn('*Deploy* of _hello_world_ is ~late~ (*really*).', names)).toBe(
      'Deploy of hello_world is late (really).',
    );
    expect(renderMrkdwn('my_var_name and 2*3*4', names)).toBe('my_var_name and 2*3*4');
  });

  it('keeps code verbatim and undoes HTML escapes', () => {
    expect(renderMrkdwn('run `helm *upgrade*` &amp; wait &lt;5m&gt;', names)).toBe(
      'run helm *upgrade* & wait <5m>',
    );
    expect(renderMrkdwn('log:\n```\nline <@U1>\nline 2\n```', names)).toBe(
      'log:\nline <@U1>\nline 2',
    );
  });
});
