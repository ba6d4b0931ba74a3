/**
 * Turns Slack's `mrkdwn` into the plain text a person reads: mentions become names, links
 * become their labels, formatting marks disappear, and Slack's HTML escapes are undone.
 */

export interface NameLookup {
  userName(id: string): string | undefined;
  groupHandle(id: string): string | undefined;
  channelName(id: string): string | undefined;
}

export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar === -1 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** One `<…>` token: `<@U1>`, `<#C1|deploys>`, `<!subteam^S1>`, `<!here>`, `<https://x|label>`. */
function renderToken(inner: string, names: NameLookup): string {
  const [target, label] = splitLabel(inner);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = names.userName(id) ?? label?.replace(/^@/, '');
    return `@${name ?? id}`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `#${names.channelName(id) ?? label ?? id}`;
  }
  if (target.startsWith('!subteam^')) {
    const id = target.slice('!subteam^'.length);
    const handle = names.groupHandle(id) ?? label?.replace(/^@/, '');
    return `@${handle ?? id}`;
  }
  if (target.startsWith('!date^')) return label ?? target;
  if (target === '!here' || target === '!channel' || target === '!everyone') {
    return `@${target.slice(1)}`;
  }
  if (label !== undefined) return label;
  return target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
}

const BOUNDARY_BEFORE = String.raw`(^|[\s(\[{"'>])`;
const BOUNDARY_AFTER = String.raw`(?=$|[\s)\]}.,;:!?"'])`;

function stripMark(text: string, mark: string): string {
  const m = mark === '*' ? String.raw`\*` : mark;
  const pattern = new RegExp(
    `${BOUNDARY_BEFORE}${m}(?=\\S)([^\\n]*?\\S)${m}${BOUNDARY_AFTER}`,
    'gm',
  );
  return text.replace(pattern, '$1$2');
}

function renderProse(text: string, names: NameLookup): string {
  let out = text.replace(/<([^<>\n]+)>/g, (_match, inner: string) => renderToken(inner, names));
  for (const mark of ['*', '_', '~']) out = stripMark(out, mark);
  return decodeEntities(out);
}

/** Renders mrkdwn text; code spans and code blocks keep their content verbatim. */
export function renderMrkdwn(text: string, names: NameLookup): string {
  const parts: string[] = [];
  const code = /```\n?([\s\S]*?)\n?```|`([^`\n]+)`/g;
  let last = 0;
  for (const match of text.matchAll(code)) {
    parts.push(renderProse(text.slice(last, match.index), names));
    parts.push(decodeEntities(match.at(1) ?? match.at(2) ?? ''));
    last = match.index + match[0].length;
  }
  parts.push(renderProse(text.slice(last), names));
  return parts.join('');
}
