import type { Deployers, EnvironmentConfig } from './catalog.js';

/** Looks up who is in a Slack user group. */
export type UserGroupMembers = (userGroupId: string) => Promise<readonly string[]>;

/**
 * Whether a user is among `people`: everyone, a listed user, or a member of a listed user group.
 * A group that cannot be looked up grants nothing (the error propagates).
 */
export async function isAmong(
  userId: string,
  people: Deployers,
  membersOf: UserGroupMembers,
): Promise<boolean> {
  const { everyone, users, userGroups } = people;
  if (everyone || users.includes(userId)) return true;
  for (const group of userGroups) {
    if ((await membersOf(group)).includes(userId)) return true;
  }
  return false;
}

/** Whether a user may deploy to an environment. */
export function mayDeploy(
  userId: string,
  environment: Pick<EnvironmentConfig, 'deployers'>,
  membersOf: UserGroupMembers,
): Promise<boolean> {
  return isAmong(userId, environment.deployers, membersOf);
}

/** Whether a user may see an environment's pods: its viewers, or its deployers when none are named. */
export function mayView(
  userId: string,
  environment: Pick<EnvironmentConfig, 'deployers' | 'viewers'>,
  membersOf: UserGroupMembers,
): Promise<boolean> {
  return isAmong(userId, environment.viewers ?? environment.deployers, membersOf);
}
