import type { Directory } from '../../../core/ports/directory.js';

/** User groups in memory; `unreachable` makes every look-up fail, as a Slack outage would. */
export class FakeDirectory implements Directory {
  unreachable = false;

  constructor(private readonly groups: Record<string, readonly string[]> = {}) {}

  userGroupMembers(userGroupId: string): Promise<readonly string[]> {
    if (this.unreachable) return Promise.reject(new Error('usergroups.users.list: no answer'));
    return Promise.resolve(this.groups[userGroupId] ?? []);
  }
}
