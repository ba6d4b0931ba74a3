import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../support/paths.js';

interface Manifest {
  features: { slash_commands: { command: string; url: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { socket_mode_enabled: boolean; interactivity: { request_url: string } };
}

describe('slack-app-manifest.yaml', () => {
  const manifest = parse(
    readFileSync(join(repoRoot, 'slack-app-manifest.yaml'), 'utf8'),
  ) as Manifest;

  it('creates both commands, pointing at the route the bot serves in HTTP mode', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/deploy', '/status']);
    for (const command of manifest.features.slash_commands)
      expect(new URL(command.url).pathname).toBe('/slack/events');
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
  });

  it('asks for the scopes the bot uses', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
      [
        'chat:write',
        'chat:write.public',
        'commands',
        'files:write',
        'usergroups:read',
        'users:read',
      ].sort(),
    );
  });

  it('starts in Socket Mode, which needs no public URL', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
