/**
 * The tokens the double accepts and the scopes each carries. A bot token (`xoxb-…`) calls the Web
 * API with the bot's scopes, by default those of the repository's Slack app manifest; an
 * app-level token (`xapp-…`) only opens Socket Mode connections (`connections:write`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../paths.js';

export type TokenKind = 'bot' | 'app';

export interface TokenGrant {
  kind: TokenKind;
  scopes: ReadonlySet<string>;
}

/** The bot scopes the repository's slack-app-manifest.yaml asks for. */
export function manifestBotScopes(
  manifestPath = join(repoRoot, 'slack-app-manifest.yaml'),
): string[] {
  const manifest = parse(readFileSync(manifestPath, 'utf8')) as {
    oauth_config?: { scopes?: { bot?: unknown } };
  };
  const scopes = manifest.oauth_config?.scopes?.bot;
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
    throw new Error(`${manifestPath} has no oauth_config.scopes.bot list`);
  }
  return scopes;
}

export const APP_TOKEN_SCOPES = ['connections:write'];

export class TokenBook {
  private readonly grants = new Map<string, TokenGrant>();

  constructor(
    readonly botToken: string,
    botScopes: readonly string[],
    readonly appToken: string,
  ) {
    this.grants.set(botToken, { kind: 'bot', scopes: new Set(botScopes) });
    this.grants.set(appToken, { kind: 'app', scopes: new Set(APP_TOKEN_SCOPES) });
  }

  lookup(token: string): TokenGrant | undefined {
    return this.grants.get(token);
  }

  /** Changes the bot token's scopes, as reinstalling the app with another manifest would. */
  setBotScopes(scopes: readonly string[]): void {
    this.grants.set(this.botToken, { kind: 'bot', scopes: new Set(scopes) });
  }

  botScopes(): string[] {
    return [...(this.grants.get(this.botToken)?.scopes ?? [])];
  }
}
