import type { Directory } from '../../ports/directory.js';

/**
 * The console has no user groups of its own: its person may deploy where the catalog lists
 * their user id (or lets everyone). A group grants them nothing.
 */
export class ConsoleDirectory implements Directory {
  userGroupMembers(): Promise<readonly string[]> {
    return Promise.resolve([]);
  }
}
