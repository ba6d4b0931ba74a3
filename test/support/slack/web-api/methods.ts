/** Every Web API method the double understands; any other answers `unknown_method`. */
import * as chat from './chat.js';
import * as directory from './directory-methods.js';
import * as files from './files.js';
import type { MethodHandler } from './method.js';

export const METHODS: ReadonlyMap<string, MethodHandler> = new Map([
  ['auth.test', directory.authTest],
  ['chat.postMessage', chat.postMessage],
  ['chat.update', chat.update],
  ['chat.delete', chat.deleteMessage],
  ['chat.postEphemeral', chat.postEphemeral],
  ['chat.getPermalink', chat.getPermalink],
  ['conversations.info', directory.conversationsInfo],
  ['users.info', directory.usersInfo],
  ['usergroups.list', directory.usergroupsList],
  ['usergroups.users.list', directory.usergroupsUsersList],
  ['files.getUploadURLExternal', files.getUploadURLExternal],
  ['files.completeUploadExternal', files.completeUploadExternal],
]);
