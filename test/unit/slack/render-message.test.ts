import { toSlackMessage } from '../../../core/adapters/slack/render-message.js';
import type { ChatMessage } from '../../../core/ports/chat-message.js';
import {
  bold,
  channel,
  code,
  emoji,
  group,
  link,
  preformatted,
  text,
  user,
} from '../../../core/messages/inline.js';
import { checkMessage, renderBlocks } from '../../support/slack/index.js';
import type { JsonValue } from '../../support/slack/json.js';

const names = {
  userName: (id: string) => ({ U1: 'alice' })[id],
  groupHandle: (id: string) => ({ S1: 'oncall' })[id],
  channelName: (id: string) => ({ C1: 'deploys' })[id],
};

function slack(message: ChatMessage) {
  const rendered = toSlackMessage(message);
  const blocks = JSON.parse(JSON.stringify(rendered.blocks)) as JsonValue[];
  return {
    raw: JSON.stringify(rendered.blocks),
    text: rendered.text,
    read: renderBlocks(blocks, names).join('\n'),
    valid: checkMessage({ text: rendered.text, blocks }),
  };
}

describe('a ChatMessage rendered for Slack', () => {
  it('renders every kind of block and inline, as a person reads it', () => {
    const message: ChatMessage = {
      summary: [text('Deploy <of> hello-world')],
      blocks: [
        { kind: 'heading', text: 'Deploy hello-world' },
        {
          kind: 'section',
          content: [
            user('U1'),
            text(' & '),
            group('S1'),
            text(' in '),
            channel('C1'),
            text(': '),
            bold('Live'),
            text(' '),
            code('hello-world@main'),
            text(' '),
            emoji('white_check_mark'),
            text(' '),
            link('http://127.0.0.1:31234', 'open it'),
          ],
        },
        { kind: 'divider' },
        { kind: 'context', content: [text('small print')] },
        {
          kind: 'actions',
          buttons: [
            { actionId: 'cancel', value: 'deploy-1', label: 'Cancel', style: 'danger' },
            { actionId: 'rollback', value: 'deploy-1', label: 'Rollback' },
          ],
        },
      ],
    };
    const shown = slack(message);
    expect(shown.valid).toEqual({ ok: true });
    expect(shown.read).toBe(
      [
        'Deploy hello-world',
        '@alice & @oncall in #deploys: Live hello-world@main :white_check_mark: open it',
        '---',
        'small print',
        '[Cancel] [Rollback]',
      ].join('\n'),
    );
    expect(shown.text).toBe('Deploy &lt;of&gt; hello-world');
    expect(shown.raw).toContain('"action_id":"cancel","value":"deploy-1"');
    expect(shown.raw).toContain('"style":"danger"');
  });

  it('escapes user text once, so nothing in it mentions, links or leaves its code span', () => {
    const shown = slack({
      summary: [text('x')],
      blocks: [
        {
          kind: 'section',
          content: [
            text('<!channel> '),
            code('a`b <@U1>'),
            text(' '),
            link('https://x.example/?a=1|2', '<b>'),
            text('\n'),
            preformatted('line 1\n```\n<@U1> *bold*'),
          ],
        },
      ],
    });
    expect(shown.raw).not.toMatch(/<!channel>|<@U1>/);
    expect(shown.raw).toContain("`a'b &lt;@U1&gt;`");
    expect(shown.raw).toContain('<https://x.example/?a=1%7C2|&lt;b&gt;>');
    expect(shown.read).toBe("<!channel> a'b <@U1> <b>\nline 1\n'''\n<@U1> *bold*");
  });
});
