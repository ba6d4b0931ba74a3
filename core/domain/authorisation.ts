import type { EnvironmentConfig } from './catalog.js';

/** Looks up who is in a Slack user group. */
export type UserGroupMembers = (userGroupId: string) => Promise<readonly string[]>;

/**
 * Whether a Slack user may deploy to an environment: everyone, a listed user, or a member of a
 * listed user group. A group that cannot be looked up grants nothing (the error propagates).
 */
export async function mayDeploy(
  userId: string,
  environment: Pick<EnvironmentConfig, 'deployers'>,
  membersOf: UserGroupMembers,
): Promise<boolean> {
  const { everyone, users, userGroups } = environment.deployers;
  if (everyone || users.includes(userId)) return true;
  for (const group of userGroups) {
    if ((await membersOf(group)).includes(userId)) return true;
  }
  return false;
}
