import type { ChatUser } from '../domain/chat-address.js';

export type ClaimResult = { won: true } | { won: false; by: ChatUser; at: Date };

/** One action per button: the first press claims it, later presses learn who pressed first. */
export interface ActionClaims {
  claim(key: string, by: ChatUser): Promise<ClaimResult>;
  /** Gives a claim back, when the action it claimed could not be done. */
  release(key: string): Promise<void>;
}
