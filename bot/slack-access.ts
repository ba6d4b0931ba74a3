import type { RespondArguments } from '@slack/bolt';
import type { SlackMembership } from '../core/adapters/slack/slack-membership.js';
import { outsiderKind } from '../core/domain/access.js';
import { DEFAULT_ACCESS, type Catalog } from '../core/domain/catalog.js';
import type { ChatAddress } from '../core/domain/chat-address.js';
import type { Logger } from '../core/logger.js';
import { membershipUnavailableMessage, outsiderMessage } from '../core/messages/guard-replies.js';
import { withDeadline } from '../core/use-cases/deadline.js';
import { ephemeral } from './slack-command.js';

/**
 * How long the membership look-up may take of Slack's 3 seconds: one users.info call (cached for
 * a minute; the workspace's own id is asked at start-up).
 */
export const MEMBERSHIP_BUDGET_MS = 1000;

export interface SlackAccess {
  membership: SlackMembership;
  catalog: Pick<Catalog, 'access'>;
  logger: Logger;
}

/**
 * Slack's own rule before any command: people of another workspace (Slack Connect) and guests
 * are refused unless the catalog's `access` lets them in. Other chat surfaces have no such
 * people, so this lives with the Slack surface. undefined: go on.
 */
export async function outsiderAnswer(
  origin: Omit<ChatAddress, 'message'>,
  access: SlackAccess,
  answerBy?: number,
): Promise<RespondArguments | undefined> {
  const budget =
    answerBy === undefined
      ? MEMBERSHIP_BUDGET_MS
      : Math.max(0, Math.min(MEMBERSHIP_BUDGET_MS, answerBy - Date.now()));
  try {
    const [home, member] = await withDeadline(
      Promise.all([access.membership.homeWorkspace(), access.membership.member(origin.user.id)]),
      budget,
      'TIMEOUT',
      'the membership look-up',
    );
    // A payload from another team counts even when users.info does not say so.
    const workspace =
      origin.workspace !== undefined && origin.workspace !== home
        ? origin.workspace
        : member.workspace;
    const outsider = outsiderKind(
      { ...member, workspace },
      home,
      access.catalog.access ?? DEFAULT_ACCESS,
    );
    if (outsider === undefined) return undefined;
    access.logger.warn({ userId: origin.user.id, outsider }, 'command refused: outsider');
    return ephemeral(outsiderMessage(outsider));
  } catch (error) {
    access.logger.warn({ err: error }, 'membership look-up failed');
    return ephemeral(membershipUnavailableMessage());
  }
}
