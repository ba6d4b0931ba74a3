/** A token for private git repositories over https, from the environment (never the catalog). */
export interface GitCredentials {
  /** The user name sent with the token: GitHub takes any (x-access-token), GitLab oauth2. */
  username: string;
  token: string;
}

/** The `user:token` pair as sent in the Authorization header: a secret in every form. */
export function basicAuthPair(credentials: GitCredentials): string {
  return `${credentials.username}:${credentials.token}`;
}

/**
 * The environment that hands git the token for one repository, scoped to its origin: git reads
 * `http.<origin>/.extraHeader` from GIT_CONFIG_* variables, so the token is never on a command
 * line (which any process may read) and never sent to another host. Nothing for ssh or file URLs.
 */
export function gitAuthEnv(
  url: string,
  credentials: GitCredentials | undefined,
): Record<string, string> {
  if (credentials === undefined || !url.startsWith('https://')) return {};
  const origin = new URL(url).origin;
  const header = Buffer.from(basicAuthPair(credentials)).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${header}`,
  };
}

const URL_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]+|\b[\w.-]+@[\w.-]+:[^\s'"]+/gi;

/**
 * Git's words with every URL (and scp-like `user@host:path`) replaced: a person reading why a
 * fetch failed is told that it did, not where the repository lives or with what.
 */
export function withoutUrls(text: string): string {
  return text.replace(URL_TEXT, '<repository>');
}

/** Whether a git URL carries a user name or password (`https://user:token@host/...`). */
export function urlCarriesCredentials(url: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return false;
  try {
    const parsed = new URL(url);
    // A user name alone is how ssh names its login (ssh://git@host/...), not a secret.
    return parsed.password !== '' || (parsed.protocol !== 'ssh:' && parsed.username !== '');
  } catch {
    return false;
  }
}
