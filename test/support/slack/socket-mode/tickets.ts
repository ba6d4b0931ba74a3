/**
 * Socket Mode connection tickets: apps.connections.open hands out a WebSocket URL carrying a
 * ticket, and a ticket opens one connection only.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';

export interface SocketTicket {
  ticket: string;
  issuedAt: number;
  usedAt?: number;
}

export class TicketBook {
  readonly issued = new Map<string, SocketTicket>();

  constructor(private readonly clock: Clock) {}

  issue(): SocketTicket {
    const ticket: SocketTicket = {
      ticket: `${randomBytes(4).toString('hex')}-${randomBytes(16).toString('hex')}`,
      issuedAt: this.clock.now(),
    };
    this.issued.set(ticket.ticket, ticket);
    return ticket;
  }

  /** Marks a ticket used; says why it cannot open a connection otherwise. */
  redeem(ticket: string | null): { ok: true } | { ok: false; reason: string } {
    const found = ticket === null ? undefined : this.issued.get(ticket);
    if (found === undefined) return { ok: false, reason: 'no such ticket was issued' };
    if (found.usedAt !== undefined) return { ok: false, reason: 'the ticket was already used' };
    found.usedAt = this.clock.now();
    return { ok: true };
  }
}
