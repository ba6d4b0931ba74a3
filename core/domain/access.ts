import type { Access } from './catalog.js';

/** Who a person is to the workspace the app is installed in, as a chat surface knows it. */
export interface Membership {
  /** Their home workspace (Slack: the user's team id). */
  workspace: string | undefined;
  /** A guest of the workspace (Slack: a single- or multi-channel guest). */
  guest: boolean;
}

export type Outsider = 'guest' | 'other-workspace';

/**
 * Whether a person is one the catalog keeps out: someone of another workspace (unless listed in
 * `access.otherWorkspaces`), or a guest (unless `access.guests`). undefined: they may use it.
 */
export function outsiderKind(
  member: Membership,
  home: string,
  access: Access,
): Outsider | undefined {
  const workspace = member.workspace ?? home;
  if (workspace !== home && !access.otherWorkspaces.includes(workspace)) return 'other-workspace';
  if (member.guest && !access.guests) return 'guest';
  return undefined;
}
