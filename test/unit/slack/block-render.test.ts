import {
  renderBlocks,
  renderContent,
  type NameLookup,
} from '../../support/slack/block-kit/render.js';
import type { JsonValue } from '../../support/slack/json.js';

const names: NameLookup = {
  userName: (id) => ({ U1: 'alice' })[id],
  groupHandle: (id) => ({ S1: 'deployers' })[id],
  channelName: (id) => ({ C1: 'deploys' })[id],
};

describe('Block Kit rendered to plain text', () => {
  it('renders header, section with fields and accessory, divider, context and actions', () => {
    const blocks: JsonValue[] = [
      { type: 'header', text: { type: 'plain_text', text: 'Deploy hello-world' } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Requested by <@U1>' },
        fields: [
          { type: 'mrkdwn', text: '*Environment*\nstaging' },
          { type: 'plain_text', text: 'Stage: build' },
        ],
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Logs' }, url: 'https://x' },
      },
      { type: 'divider' },
      {
        type: 'context',
        elements: [
          { type: 'image', image_url: 'https://x/i.png', alt_text: 'ok' },
          { type: 'mrkdwn', text: 'for <!subteam^S1>' },
        ],
      },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Approve' }, style: 'primary' },
          { type: 'button', text: { type: 'plain_text', text: 'Cancel' } },
        ],
      },
    ];
    expect(renderBlocks(blocks, names).join('\n')).toBe(
      [
        'Deploy hello-world',
        'Requested by @alice',
        'Environment',
        'staging',
        'Stage: build',
        '[Logs]',
        '---',
        '[image: ok]  for @deployers',
        '[Approve] [Cancel]',
      ].join('\n'),
    );
  });

  it('does not read mentions inside plain_text', () => {
    const blocks: JsonValue[] = [
      { type: 'section', text: { type: 'plain_text', text: '<@U1> *stays*' } },
    ];
    expect(renderBlocks(blocks, names)).toEqual(['<@U1> *stays*']);
  });

  it('renders rich text: sections, mentions, links, lists, code and quotes', () => {
    const blocks: JsonValue[] = [
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'Hi ' },
              { type: 'user', user_id: 'U1' },
              { type: 'text', text: ' in ' },
              { type: 'channel', channel_id: 'C1' },
              { type: 'text', text: ', see ' },
              { type: 'link', url: 'https://ci.example', text: 'CI' },
              { type: 'text', text: ' ' },
              { type: 'emoji', name: 'rocket' },
            ],
          },
          {
            type: 'rich_text_list',
            style: 'ordered',
            elements: [
              { type: 'rich_text_section', elements: [{ type: 'text', text: 'build' }] },
              { type: 'rich_text_section', elements: [{ type: 'usergroup', usergroup_id: 'S1' }] },
            ],
          },
          {
            type: 'rich_text_preformatted',
            elements: [{ type: 'text', text: 'helm upgrade\nhelm status' }],
          },
          { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
        ],
      },
    ];
    expect(renderBlocks(blocks, names)).toEqual([
      'Hi @alice in #deploys, see CI :rocket:',
      '1. build',
      '2. @deployers',
      'helm upgrade',
      'helm status',
      '> quoted',
    ]);
  });

  it('shows blocks instead of the fallback text, and the text when there are no blocks', () => {
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'from blocks' } };
    expect(renderContent({ text: 'fallback', blocks: [section], attachments: [] }, names)).toEqual([
      'from blocks',
    ]);
    expect(renderContent({ text: 'only *text*', blocks: [], attachments: [] }, names)).toEqual([
      'only text',
    ]);
  });

  it('renders legacy attachments under the message, marked with a bar', () => {
    const attachments: JsonValue[] = [
      { title: 'Rollout', text: 'Failed at <@U1>', fields: [{ title: 'Stage', value: 'verify' }] },
    ];
    expect(renderContent({ text: 'Deploy failed', blocks: [], attachments }, names)).toEqual([
      'Deploy failed',
      '| Rollout',
      '| Failed at @alice',
      '| Stage: verify',
    ]);
  });
});
