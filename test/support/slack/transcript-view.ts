/**
 * Reads the transcript as a person would: `double.channel('C1').render()` gives the channel
 * as plain text, and `.messages` gives the same messages as structured views.
 */
import { renderContent, type NameLookup } from './block-kit/render.js';
import type { Directory, SlackChannel } from './directory.js';
import type { JsonObject } from './json.js';
import {
  compareTs,
  type MessageOrigin,
  type SharedFile,
  type StoredEphemeral,
  type StoredMessage,
  type TranscriptStore,
} from './transcript-store.js';

export interface VersionView {
  text: string;
  blocks: JsonObject[];
  rendered: string;
  origin: MessageOrigin;
}

export interface MessageView {
  ts: string;
  threadTs?: string;
  author: string;
  authorName: string;
  origin: MessageOrigin;
  text: string;
  blocks: JsonObject[];
  attachments: JsonObject[];
  /** The latest version as a person reads it. */
  rendered: string;
  /** Earlier versions, oldest first; the latest version is the message itself. */
  history: VersionView[];
  files: SharedFile[];
  replies: MessageView[];
  replyBroadcast: boolean;
}

export interface EphemeralView {
  ts: string;
  recipient: string;
  recipientName: string;
  author: string;
  authorName: string;
  origin: MessageOrigin;
  text: string;
  blocks: JsonObject[];
  rendered: string;
  history: VersionView[];
}

export interface RenderOptions {
  /** Include ephemeral messages (default true); each is labelled with the one person who sees it. */
  ephemeral?: boolean;
  /** Only the ephemeral messages this person sees. */
  viewer?: string;
}

export function directoryNames(directory: Directory): NameLookup {
  return {
    userName: (id) => directory.users.get(id)?.name,
    groupHandle: (id) => directory.userGroups.get(id)?.handle,
    channelName: (id) => directory.channels.get(id)?.name,
  };
}

export class ChannelTranscript {
  private readonly names: NameLookup;

  constructor(
    private readonly channelInfo: SlackChannel,
    private readonly store: TranscriptStore,
    private readonly directory: Directory,
  ) {
    this.names = directoryNames(directory);
  }

  get id(): string {
    return this.channelInfo.id;
  }

  get name(): string {
    return this.channelInfo.name;
  }

  /** Top-level messages still visible, oldest first, each with its thread replies. */
  get messages(): MessageView[] {
    return this.visible()
      .filter((m) => m.threadTs === undefined || m.replyBroadcast)
      .map((m) => this.view(m));
  }

  /** Every ephemeral message still visible in this channel, oldest first. */
  get ephemeral(): EphemeralView[] {
    return this.store.ephemerals
      .filter((m) => m.channel === this.id && !m.deleted)
      .sort((a, b) => compareTs(a.ts, b.ts))
      .map((m) => this.ephemeralView(m));
  }

  ephemeralFor(userId: string): EphemeralView[] {
    return this.ephemeral.filter((m) => m.recipient === userId);
  }

  /** Files shared into this channel or its threads. */
  get files(): SharedFile[] {
    return this.visible().flatMap((m) => m.files);
  }

  /** The message with this ts, top-level or reply; throws when there is none. */
  message(ts: string): MessageView {
    const found = this.visible().find((m) => m.ts === ts);
    if (found === undefined) {
      throw new Error(`no visible message ${ts} in #${this.name}:\n${this.render()}`);
    }
    return this.view(found);
  }

  /** The channel as plain text. */
  render(options: RenderOptions = {}): string {
    const includeEphemeral = options.ephemeral ?? true;
    type Entry = { ts: string; lines: string[] };
    const entries: Entry[] = this.topLevel().map((m) => ({
      ts: m.ts,
      lines: this.renderMessage(m),
    }));
    if (includeEphemeral) {
      for (const e of this.store.ephemerals) {
        if (e.channel !== this.id || e.deleted) continue;
        if (options.viewer !== undefined && e.recipient !== options.viewer) continue;
        entries.push({ ts: e.ts, lines: this.renderEphemeral(e) });
      }
    }
    entries.sort((a, b) => compareTs(a.ts, b.ts));
    const title = this.channelInfo.isIm ? `@${this.name} (direct message)` : `#${this.name}`;
    return [title, ...entries.flatMap((e) => e.lines)].join('\n');
  }

  /** What one person sees: every channel message plus only their own ephemeral messages. */
  renderFor(userId: string): string {
    return this.render({ viewer: userId });
  }

  private visible(): StoredMessage[] {
    return this.store.messages
      .filter((m) => m.channel === this.id && !m.deleted)
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  private topLevel(): StoredMessage[] {
    return this.store.messages
      .filter((m) => m.channel === this.id)
      .filter((m) => m.threadTs === undefined || m.replyBroadcast)
      .filter((m) => !m.deleted || this.replies(m.ts).length > 0)
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  private replies(parentTs: string): StoredMessage[] {
    return this.visible().filter((m) => m.threadTs === parentTs && m.ts !== parentTs);
  }

  private who(userId: string): string {
    return `@${this.directory.users.get(userId)?.name ?? userId}`;
  }

  private contentLines(m: StoredMessage | StoredEphemeral): string[] {
    const lines = renderContent(m.content, this.names);
    if ('files' in m) {
      for (const file of m.files) {
        lines.push(`[file: ${file.name}${file.title !== file.name ? ` "${file.title}"` : ''}]`);
        lines.push(
          ...file.content
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => `  ${l}`),
        );
      }
    }
    if (lines.length === 0) lines.push('');
    if (m.history.length > 0) lines.push(`${lines.pop() ?? ''} (edited)`);
    return lines;
  }

  private block(prefix: string, body: string[], indent: string): string[] {
    const [first = '', ...rest] = body;
    return [`${prefix}${first}`.trimEnd(), ...rest.map((line) => `${indent}${line}`.trimEnd())];
  }

  private renderMessage(m: StoredMessage): string[] {
    if (m.deleted) {
      return ['(message deleted)', ...this.renderReplies(m)];
    }
    const label = m.threadTs !== undefined && m.replyBroadcast ? ' (replied to a thread)' : '';
    const lines = this.block(`${this.who(m.author)}${label}: `, this.contentLines(m), '  ');
    return m.threadTs === undefined ? [...lines, ...this.renderReplies(m)] : lines;
  }

  private renderReplies(parent: StoredMessage): string[] {
    return this.replies(parent.ts).flatMap((reply) =>
      this.block(`  └ ${this.who(reply.author)}: `, this.contentLines(reply), '    '),
    );
  }

  private renderEphemeral(e: StoredEphemeral): string[] {
    const prefix = `(only visible to ${this.who(e.recipient)}) ${this.who(e.author)}: `;
    return this.block(prefix, this.contentLines(e), '  ');
  }

  private versionView(version: {
    text: string;
    blocks: JsonObject[];
    attachments: JsonObject[];
    origin: MessageOrigin;
  }): VersionView {
    return {
      text: version.text,
      blocks: version.blocks,
      rendered: renderContent(version, this.names).join('\n'),
      origin: version.origin,
    };
  }

  private view(m: StoredMessage): MessageView {
    return {
      ts: m.ts,
      ...(m.threadTs === undefined ? {} : { threadTs: m.threadTs }),
      author: m.author,
      authorName: this.who(m.author).slice(1),
      origin: m.origin,
      text: m.content.text,
      blocks: m.content.blocks,
      attachments: m.content.attachments,
      rendered: renderContent(m.content, this.names).join('\n'),
      history: m.history.map((v) => this.versionView(v)),
      files: m.files,
      replies: m.threadTs === undefined ? this.replies(m.ts).map((r) => this.view(r)) : [],
      replyBroadcast: m.replyBroadcast,
    };
  }

  private ephemeralView(e: StoredEphemeral): EphemeralView {
    return {
      ts: e.ts,
      recipient: e.recipient,
      recipientName: this.who(e.recipient).slice(1),
      author: e.author,
      authorName: this.who(e.author).slice(1),
      origin: e.origin,
      text: e.content.text,
      blocks: e.content.blocks,
      rendered: renderContent(e.content, this.names).join('\n'),
      history: e.history.map((v) => this.versionView(v)),
    };
  }
}
