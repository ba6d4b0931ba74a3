import type { WebClient } from '@slack/web-api';
import type { Membership } from '../../domain/access.js';

export interface SlackMembershipOptions {
  client: WebClient;
  /** How long a person's membership is remembered; a guest made a member is seen within it. */
  cacheMs?: number;
  now?: () => number;
}

/**
 * Who a Slack user is to the app's workspace: their home team (users.info `team_id`; people of a
 * Slack Connect channel keep their own) and whether they are a guest (`is_restricted`,
 * `is_ultra_restricted`). The app's own team comes from auth.test, once.
 */
export class SlackMembership {
  private readonly cache = new Map<string, { member: Membership; until: number }>();
  private home: Promise<string> | undefined;
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SlackMembershipOptions) {
    this.cacheMs = options.cacheMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The app's own workspace (team id). */
  homeWorkspace(): Promise<string> {
    this.home ??= this.options.client.auth.test().then((answer) => {
      if (!answer.team_id) throw new Error('auth.test answered no team_id');
      return answer.team_id;
    });
    // A failed look-up is tried again next time.
    this.home.catch(() => {
      this.home = undefined;
    });
    return this.home;
  }

  async member(userId: string): Promise<Membership> {
    const cached = this.cache.get(userId);
    if (cached && cached.until > this.now()) return cached.member;
    const { user } = await this.options.client.users.info({ user: userId });
    const member: Membership = {
      workspace: user?.team_id,
      guest: user?.is_restricted === true || user?.is_ultra_restricted === true,
    };
    this.cache.set(userId, { member, until: this.now() + this.cacheMs });
    return member;
  }
}
