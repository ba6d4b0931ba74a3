import type { ActionsBlock, Button as SlackButton, KnownBlock } from '@slack/types';
import {
  MESSAGE_LIMITS,
  truncate,
  type Block,
  type Button,
  type ChatMessage,
  type Inline,
} from '../../ports/chat-message.js';

/** A message as Slack's Web API takes it: Block Kit blocks plus the notification text. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MENTION: Record<'user' | 'group' | 'channel', (id: string) => string> = {
  user: (id) => `<@${id}>`,
  group: (id) => `<!subteam^${id}>`,
  channel: (id) => `<#${id}>`,
};

/** A log in a code block: no fence of its own closes it early. */
function fenced(value: string): string {
  const lines = value.split('\n').map((line) => escapeMrkdwn(line.replace(/```/g, "'''")));
  return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
}

function inlineMrkdwn(inline: Inline): string {
  switch (inline.kind) {
    case 'text':
      return escapeMrkdwn(inline.text);
    case 'bold':
      return `*${escapeMrkdwn(inline.text)}*`;
    case 'code':
      // No backtick of the text may end the code span early.
      return `\`${escapeMrkdwn(inline.text.replace(/`/g, "'"))}\``;
    case 'link': {
      const url = escapeMrkdwn(inline.url.replace(/\|/g, '%7C'));
      return inline.label === undefined ? `<${url}>` : `<${url}|${escapeMrkdwn(inline.label)}>`;
    }
    case 'mention':
      return MENTION[inline.of](inline.id);
    case 'emoji':
      return `:${inline.name}:`;
    case 'preformatted':
      return fenced(inline.text);
  }
}

/** Inline content as mrkdwn, every piece of text escaped: nothing in it can mention or link. */
export function toMrkdwn(content: readonly Inline[]): string {
  return content.map(inlineMrkdwn).join('');
}

function button(value: Button): SlackButton {
  return {
    type: 'button',
    action_id: value.actionId,
    value: truncate(value.value, MESSAGE_LIMITS.buttonValue),
    text: { type: 'plain_text', text: truncate(value.label, MESSAGE_LIMITS.buttonLabel) },
    ...(value.style === undefined ? {} : { style: value.style }),
  };
}

function actions(buttons: readonly Button[]): ActionsBlock {
  return {
    type: 'actions',
    elements: buttons.slice(0, MESSAGE_LIMITS.buttonsPerBlock).map(button),
  };
}

function block(value: Block): KnownBlock {
  switch (value.kind) {
    case 'heading':
      return {
        type: 'header',
        text: { type: 'plain_text', text: truncate(value.text, MESSAGE_LIMITS.headerText) },
      };
    case 'section':
      return {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(toMrkdwn(value.content), MESSAGE_LIMITS.sectionText),
        },
      };
    case 'context':
      return {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: truncate(toMrkdwn(value.content), MESSAGE_LIMITS.sectionText) },
        ],
      };
    case 'actions':
      return actions(value.buttons);
    case 'divider':
      return { type: 'divider' };
  }
}

/** Block Kit for a ChatMessage; every Slack limit a block has is kept here. */
export function toSlackMessage(message: ChatMessage): SlackMessage {
  return {
    text: truncate(toMrkdwn(message.summary), MESSAGE_LIMITS.messageText),
    blocks: message.blocks.map(block),
  };
}
