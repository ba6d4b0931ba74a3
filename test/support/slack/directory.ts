/**
 * Who and what exists in the fake workspace: the team, the app's bot user, people, user groups
 * and channels. Tests seed it; the Web API methods and the transcript renderer read it.
 */

export interface TeamIdentity {
  id: string;
  domain: string;
  name: string;
}

export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

export interface SlackUser {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
  deleted: boolean;
  tz: string;
  /** The user's home workspace: another team's id for someone in a Slack Connect channel. */
  teamId?: string;
  /** A multi-channel guest (`is_restricted`). */
  isRestricted: boolean;
  /** A single-channel guest (`is_ultra_restricted`). */
  isUltraRestricted: boolean;
}

export interface SlackUserGroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface SlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isIm: boolean;
  /** For a direct message channel: the person on the other side. */
  imUser?: string;
  /** The people in the channel; `undefined` means "everyone seeded so far and later". */
  members?: string[];
  botIsMember: boolean;
}

export interface AddUserInput {
  id: string;
  name: string;
  realName?: string;
  isBot?: boolean;
  deleted?: boolean;
  tz?: string;
  /** Another workspace's team id: a person of a Slack Connect channel. */
  teamId?: string;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
}

export interface AddUserGroupInput {
  id: string;
  handle: string;
  name?: string;
  users?: string[];
}

export interface AddChannelInput {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  members?: string[];
  /** Whether the app's bot user is in the channel (Slack answers `not_in_channel` otherwise). */
  botIsMember?: boolean;
}

const USER_ID = /^[UW][A-Z0-9]{1,20}$/;
const GROUP_ID = /^S[A-Z0-9]{1,20}$/;
const CHANNEL_ID = /^[CG][A-Z0-9]{1,20}$/;

export class Directory {
  readonly users = new Map<string, SlackUser>();
  readonly userGroups = new Map<string, SlackUserGroup>();
  readonly channels = new Map<string, SlackChannel>();

  constructor(
    readonly team: TeamIdentity,
    readonly bot: BotIdentity,
  ) {
    this.addUser({ id: bot.userId, name: bot.name, isBot: true });
  }

  addUser(input: AddUserInput): SlackUser {
    if (!USER_ID.test(input.id)) {
      throw new Error(`Slack user ids look like U0123ABCD; "${input.id}" is not one`);
    }
    const user: SlackUser = {
      id: input.id,
      name: input.name,
      realName: input.realName ?? input.name,
      isBot: input.isBot ?? false,
      deleted: input.deleted ?? false,
      tz: input.tz ?? 'Europe/Madrid',
      ...(input.teamId === undefined ? {} : { teamId: input.teamId }),
      isRestricted: input.isRestricted ?? false,
      isUltraRestricted: input.isUltraRestricted ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  addUserGroup(input: AddUserGroupInput): SlackUserGroup {
    if (!GROUP_ID.test(input.id)) {
      throw new Error(`Slack user group ids look like S0123ABCD; "${input.id}" is not one`);
    }
    const users = input.users ?? [];
    for (const id of users) this.requireUser(id);
    const group: SlackUserGroup = {
      id: input.id,
      handle: input.handle,
      name: input.name ?? input.handle,
      users: [...users],
    };
    this.userGroups.set(group.id, group);
    return group;
  }

  addChannel(input: AddChannelInput): SlackChannel {
    if (!CHANNEL_ID.test(input.id)) {
      throw new Error(`Slack channel ids look like C0123ABCD; "${input.id}" is not one`);
    }
    for (const id of input.members ?? []) this.requireUser(id);
    const channel: SlackChannel = {
      id: input.id,
      name: input.name.replace(/^#/, ''),
      isPrivate: input.isPrivate ?? false,
      isArchived: input.isArchived ?? false,
      isIm: false,
      botIsMember: input.botIsMember ?? true,
      ...(input.members === undefined ? {} : { members: [...input.members] }),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  requireUser(id: string): SlackUser {
    const user = this.users.get(id);
    if (user === undefined)
      throw new Error(`the Slack double has no user ${id}; seed it with addUser`);
    return user;
  }

  requireChannel(id: string): SlackChannel {
    const channel = this.channels.get(id);
    if (channel === undefined) {
      throw new Error(`the Slack double has no channel ${id}; seed it with addChannel`);
    }
    return channel;
  }

  /** The direct message channel between the app and a person, opened on first use as Slack does. */
  imWith(userId: string): SlackChannel {
    const user = this.requireUser(userId);
    const id = `D${user.id.slice(1)}`;
    const existing = this.channels.get(id);
    if (existing !== undefined) return existing;
    const channel: SlackChannel = {
      id,
      name: user.name,
      isPrivate: true,
      isArchived: false,
      isIm: true,
      imUser: user.id,
      members: [user.id],
      botIsMember: true,
    };
    this.channels.set(id, channel);
    return channel;
  }

  /**
   * Resolves a `channel` argument as Slack does: an encoded id, a name with or without `#`,
   * or a user id (which means the direct message channel with that person).
   */
  resolveChannel(argument: string): SlackChannel | undefined {
    const byId = this.channels.get(argument);
    if (byId !== undefined) return byId;
    if (USER_ID.test(argument) && this.users.has(argument)) return this.imWith(argument);
    const name = argument.replace(/^#/, '');
    for (const channel of this.channels.values()) {
      if (!channel.isIm && channel.name === name) return channel;
    }
    return undefined;
  }

  isMember(channel: SlackChannel, userId: string): boolean {
    return channel.members === undefined
      ? this.users.has(userId)
      : channel.members.includes(userId);
  }
}
