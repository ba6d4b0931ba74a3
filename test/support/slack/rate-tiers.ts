/**
 * Slack's rate limits as the double applies them by default. Slack publishes tiers in calls per
 * minute ("Tier 2: 20+", "Tier 3: 50+", "Tier 4: 100+") and grants bursts without saying how
 * large; the double models each tier as a token bucket holding one minute's calls, refilled at
 * the tier's rate. chat.postMessage has "special" limits: about one message per second per
 * channel with a burst, and a workspace-wide limit of "several hundred messages per minute".
 */
import type { RateLimitRule } from './rate-limiter.js';

const MINUTE = 60_000;

function tier(method: string, perMinute: number): RateLimitRule {
  return { method, limit: perMinute, windowMs: MINUTE, burst: perMinute };
}

export const TIER_2 = 20;
export const TIER_3 = 50;
export const TIER_4 = 100;

/** How many chat.postMessage calls a channel takes at once before the one-per-second pace. */
export const POST_MESSAGE_BURST = 4;
/** "Several hundred messages per minute" across the workspace. */
export const POST_MESSAGE_WORKSPACE_PER_MINUTE = 300;

export function slackRateLimits(): RateLimitRule[] {
  return [
    {
      method: 'chat.postMessage',
      limit: 1,
      windowMs: 1000,
      burst: POST_MESSAGE_BURST,
      per: 'channel',
    },
    tier('chat.postMessage', POST_MESSAGE_WORKSPACE_PER_MINUTE),
    tier('chat.update', TIER_3),
    tier('chat.delete', TIER_3),
    tier('chat.postEphemeral', TIER_4),
    tier('chat.getPermalink', TIER_4),
    tier('files.getUploadURLExternal', TIER_4),
    tier('files.completeUploadExternal', TIER_4),
    tier('users.info', TIER_4),
    tier('usergroups.list', TIER_2),
    tier('usergroups.users.list', TIER_2),
    tier('conversations.info', TIER_3),
    tier('auth.test', TIER_4),
    tier('apps.connections.open', TIER_3),
  ];
}
