import type { WebClient } from '@slack/web-api';
import type { Directory } from '../../ports/directory.js';

export interface SlackDirectoryOptions {
  client: WebClient;
  /** How long a user group's members are remembered; Slack rate-limits usergroups.users.list. */
  cacheMs?: number;
  now?: () => number;
}

/** User-group membership from Slack's Web API (usergroups.users.list), cached briefly. */
export class SlackDirectory implements Directory {
  private readonly cache = new Map<string, { members: readonly string[]; until: number }>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SlackDirectoryOptions) {
    this.cacheMs = options.cacheMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async userGroupMembers(userGroupId: string): Promise<readonly string[]> {
    const cached = this.cache.get(userGroupId);
    if (cached && cached.until > this.now()) return cached.members;
    const response = await this.options.client.usergroups.users.list({ usergroup: userGroupId });
    const members = response.users ?? [];
    this.cache.set(userGroupId, { members, until: this.now() + this.cacheMs });
    return members;
  }
}
