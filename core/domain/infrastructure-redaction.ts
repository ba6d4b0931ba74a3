/** What a chat message shows in place of a cluster detail; the log keeps the detail. */
export const HIDDEN = {
  server: '[API server]',
  path: '[kubeconfig]',
  context: '[context]',
  address: '[internal address]',
} as const;

/** The cluster details a deployment knows of by name: its kubeconfig and API servers. */
export interface InfrastructureDetails {
  /** API server URLs, e.g. `https://10.0.0.1:6443`. */
  servers: readonly string[];
  /** Kubeconfig files. */
  paths: readonly string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const OCTET = '(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)';
/** Loopback, private (RFC 1918), carrier-grade NAT and link-local IPv4, with a port if any. */
const INTERNAL_IPV4 = new RegExp(
  `\\b(?:127\\.${OCTET}|10\\.${OCTET}|172\\.(?:1[6-9]|2\\d|3[01])|192\\.168|169\\.254|100\\.(?:6[4-9]|[7-9]\\d|1[01]\\d|12[0-7]))\\.${OCTET}\\.${OCTET}(?::\\d{1,5})?\\b`,
  'g',
);
/** A kubeconfig-looking path: `~/.kube/config`, `/…/.kube/…`, or one with `kubeconfig` in it. */
const KUBE_PATH = /(?<![:/\w])(?:~|\/)[^\s"'`(),;:]*(?:\.kube\/|kubeconfig)[^\s"'`(),;:]*/gi;
/** How helm and the Kubernetes adapter name a context: `(context X)`, `context "X"`. */
const CONTEXT = /\bcontext(?:\s+"[^"]*"|\s+[^\s"),]+)/gi;

/**
 * Takes cluster details out of a text bound for chat (a failure reason, a program's log): the
 * API server URLs and kubeconfig paths it was told of, any kubeconfig-looking path, context
 * names, and internal IP addresses. Whoever runs Harbormaster finds them in its log.
 */
export function redactInfrastructure(text: string, known: InfrastructureDetails): string {
  const named: [string, string][] = [
    ...known.servers.flatMap((server): [string, string][] => {
      const host = /^[a-z]+:\/\/([^/]+)/i.exec(server)?.[1];
      return [
        [server.replace(/\/+$/, ''), HIDDEN.server],
        ...(host === undefined ? [] : [[host, HIDDEN.server] as [string, string]]),
      ];
    }),
    ...known.paths.map((path): [string, string] => [path, HIDDEN.path]),
  ].filter(([value]) => value.length >= 4);
  // Longest first, so that a URL goes whole before its host does.
  named.sort((a, b) => b[0].length - a[0].length);
  let redacted = text;
  for (const [value, label] of named) {
    redacted = redacted.replace(new RegExp(escapeRegExp(value), 'g'), label);
  }
  return redacted
    .replace(CONTEXT, `context ${HIDDEN.context}`)
    .replace(KUBE_PATH, HIDDEN.path)
    .replace(INTERNAL_IPV4, HIDDEN.address);
}
