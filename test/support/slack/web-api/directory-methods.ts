/** auth.test, users.info, usergroups.list, usergroups.users.list and conversations.info. */
import type { SlackChannel, SlackUser, SlackUserGroup } from '../directory.js';
import { SlackApiError, missingArgument } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { Workspace } from '../workspace.js';
import { booleanArg, stringArg } from './args.js';
import { channelArg, type MethodHandler } from './method.js';

export const authTest: MethodHandler = ({ ws }) => ({
  url: `https://${ws.team.domain}.slack.com/`,
  team: ws.team.name,
  user: ws.bot.name,
  team_id: ws.team.id,
  user_id: ws.bot.userId,
  bot_id: ws.bot.botId,
  is_enterprise_install: false,
});

function userJson(ws: Workspace, user: SlackUser): JsonObject {
  return {
    id: user.id,
    team_id: user.teamId ?? ws.team.id,
    name: user.name,
    deleted: user.deleted,
    is_restricted: user.isRestricted,
    is_ultra_restricted: user.isUltraRestricted,
    real_name: user.realName,
    tz: user.tz,
    is_bot: user.isBot,
    is_app_user: false,
    profile: {
      real_name: user.realName,
      display_name: user.name,
      real_name_normalized: user.realName,
      display_name_normalized: user.name,
      ...(user.id === ws.bot.userId ? { bot_id: ws.bot.botId, api_app_id: ws.bot.appId } : {}),
    },
  };
}

export const usersInfo: MethodHandler = ({ args, ws }) => {
  const id = stringArg(args, 'user');
  const user = id === undefined ? undefined : ws.directory.users.get(id);
  if (user === undefined) throw new SlackApiError('user_not_found');
  return { user: userJson(ws, user) };
};

function groupJson(
  ws: Workspace,
  group: SlackUserGroup,
  withUsers: boolean,
  withCount: boolean,
): JsonObject {
  return {
    id: group.id,
    team_id: ws.team.id,
    is_usergroup: true,
    name: group.name,
    description: '',
    handle: group.handle,
    is_external: false,
    date_delete: 0,
    ...(withUsers ? { users: [...group.users] } : {}),
    ...(withCount ? { user_count: group.users.length } : {}),
  };
}

export const usergroupsList: MethodHandler = ({ args, ws }) => {
  const withUsers = booleanArg(args, 'include_users');
  const withCount = booleanArg(args, 'include_count');
  const usergroups = [...ws.directory.userGroups.values()].map((g) =>
    groupJson(ws, g, withUsers, withCount),
  );
  return { usergroups };
};

export const usergroupsUsersList: MethodHandler = ({ args, ws }) => {
  const id = stringArg(args, 'usergroup');
  if (id === undefined) throw missingArgument('usergroup');
  const group = ws.directory.userGroups.get(id);
  if (group === undefined) throw new SlackApiError('no_such_subteam');
  return { users: [...group.users] };
};

function channelJson(ws: Workspace, channel: SlackChannel, withCount: boolean): JsonObject {
  const members = channel.members ?? [...ws.directory.users.keys()];
  const base: JsonObject = {
    id: channel.id,
    created: 0,
    is_archived: channel.isArchived,
    is_org_shared: false,
    context_team_id: ws.team.id,
  };
  if (channel.isIm) {
    return { ...base, is_im: true, user: channel.imUser ?? '', is_open: true };
  }
  return {
    ...base,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    is_general: false,
    is_shared: false,
    is_ext_shared: false,
    is_member: channel.botIsMember,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    ...(withCount ? { num_members: members.length } : {}),
  };
}

export const conversationsInfo: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  return { channel: channelJson(ctx.ws, channel, booleanArg(ctx.args, 'include_num_members')) };
};
