import type { KnownBlock } from '@slack/types';

/** A message as the Web API takes it: Block Kit blocks plus the plain text notifications show. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits, enforced by every builder so no message is ever refused. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  contextElements: 10,
  headerText: 150,
  messageText: 40_000,
} as const;

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to a limit, saying that it did. */
export function truncate(text: string, limit: number, marker = '…'): string {
  return text.length <= limit ? text : `${text.slice(0, limit - marker.length)}${marker}`;
}

export function section(mrkdwn: string): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) },
  };
}

export function context(...mrkdwn: string[]): KnownBlock {
  return {
    type: 'context',
    elements: mrkdwn.slice(0, SLACK_LIMITS.contextElements).map((text) => ({
      type: 'mrkdwn' as const,
      text: truncate(text, SLACK_LIMITS.sectionText),
    })),
  };
}

export function header(text: string): KnownBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText) },
  };
}

export const divider: KnownBlock = { type: 'divider' };

export function mentionUser(userId: string): string {
  return `<@${userId}>`;
}

export function mentionUserGroup(groupId: string): string {
  return `<!subteam^${groupId}>`;
}
