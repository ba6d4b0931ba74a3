/**
 * The state behind one Slack double: directory, transcript, uploaded files, the clock, and the
 * record of requests the double did not understand. Shared by the Web API, the upload endpoint,
 * response_url and the inbound client.
 */
import type { Clock } from './clock.js';
import { Directory, type BotIdentity, type TeamIdentity } from './directory.js';
import { TicketBook } from './socket-mode/tickets.js';
import { TranscriptStore } from './transcript-store.js';

export interface UploadedFile {
  id: string;
  filename: string;
  declaredLength: number;
  uploadKey: string;
  altText?: string;
  snippetType?: string;
  bytes?: Buffer;
  title?: string;
  completed: boolean;
}

/** Something the double did not understand or that Slack would have silently mishandled. */
export interface UnhandledRequest {
  at: number;
  httpMethod: string;
  path: string;
  /** The Web API method, when the request named one. */
  method?: string;
  reason: string;
}

export const SLACKBOT_USER_ID = 'USLACKBOT';

export class Workspace {
  readonly directory: Directory;
  readonly transcript: TranscriptStore;
  readonly files = new Map<string, UploadedFile>();
  readonly unhandled: UnhandledRequest[] = [];
  /** Socket Mode tickets handed out by apps.connections.open. */
  readonly tickets: TicketBook;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl = '';
  private counter = 0;

  constructor(
    readonly clock: Clock,
    team: TeamIdentity,
    bot: BotIdentity,
  ) {
    this.directory = new Directory(team, bot);
    this.directory.addUser({ id: SLACKBOT_USER_ID, name: 'slackbot', isBot: true });
    this.transcript = new TranscriptStore(clock);
    this.tickets = new TicketBook(clock);
  }

  get bot(): BotIdentity {
    return this.directory.bot;
  }

  get team(): TeamIdentity {
    return this.directory.team;
  }

  /** A fresh id with Slack's shape: a type letter then upper-case base 36. */
  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}0${this.counter.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  recordUnhandled(entry: Omit<UnhandledRequest, 'at'>): void {
    this.unhandled.push({ at: this.clock.now(), ...entry });
  }
}
