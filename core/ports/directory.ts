/** Who is who in the chat workspace, as authorisation needs it. */
export interface Directory {
  /** Member user IDs of a user group. */
  userGroupMembers(userGroupId: string): Promise<readonly string[]>;
}
