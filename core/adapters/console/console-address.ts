import type { ChatAddress } from '../../domain/chat-address.js';

/**
 * The console's chat identity. Its workspace is its own (no Slack team id looks like it), so
 * that nothing takes a console request for one from another Slack workspace, and the worker
 * knows to answer it on the console rather than in Slack.
 */
export const CONSOLE_WORKSPACE = 'harbormaster-console';

/** The console's one conversation: ids are shaped like Slack's, as the deploy request expects. */
export const CONSOLE_CHANNEL = { id: 'C0CONSOLE', name: 'deploys' } as const;

/** Was this asked on the console? */
export function isConsoleAddress(address: Pick<ChatAddress, 'workspace'>): boolean {
  return address.workspace === CONSOLE_WORKSPACE;
}

/**
 * The Redis stream a console channel's messages live in. Keyed by the deploy queue's name, so a
 * bot and its workers share it and another installation on the same Redis does not.
 */
export function consoleStreamKey(queueName: string, channel: string): string {
  return `${queueName}:console:${channel}`;
}

/** A link that opens a console message (the console's page scrolls to it). */
export function consolePermalink(channel: string, id: string): string {
  return `/#${channel}/${id}`;
}
