/**
 * Every Web API method the double understands, with the token it takes and the scopes it needs
 * (any one of them); any other method answers `unknown_method`.
 */
import type { TokenKind } from '../tokens.js';
import * as apps from './apps.js';
import * as chat from './chat.js';
import * as directory from './directory-methods.js';
import * as files from './files.js';
import type { MethodHandler } from './method.js';

export interface MethodSpec {
  handler: MethodHandler;
  token: TokenKind;
  /** The scopes of which the token needs one; empty when the method needs none. */
  scopes: readonly string[];
}

const bot = (handler: MethodHandler, ...scopes: string[]): MethodSpec => ({
  handler,
  token: 'bot',
  scopes,
});

export const METHODS: ReadonlyMap<string, MethodSpec> = new Map([
  ['auth.test', bot(directory.authTest)],
  ['chat.postMessage', bot(chat.postMessage, 'chat:write')],
  ['chat.update', bot(chat.update, 'chat:write')],
  ['chat.delete', bot(chat.deleteMessage, 'chat:write')],
  ['chat.postEphemeral', bot(chat.postEphemeral, 'chat:write')],
  ['chat.getPermalink', bot(chat.getPermalink)],
  [
    'conversations.info',
    bot(directory.conversationsInfo, 'channels:read', 'groups:read', 'im:read', 'mpim:read'),
  ],
  ['users.info', bot(directory.usersInfo, 'users:read')],
  ['usergroups.list', bot(directory.usergroupsList, 'usergroups:read')],
  ['usergroups.users.list', bot(directory.usergroupsUsersList, 'usergroups:read')],
  ['files.getUploadURLExternal', bot(files.getUploadURLExternal, 'files:write')],
  ['files.completeUploadExternal', bot(files.completeUploadExternal, 'files:write')],
  [
    'apps.connections.open',
    { handler: apps.connectionsOpen, token: 'app', scopes: ['connections:write'] },
  ],
]);
