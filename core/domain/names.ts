import { z } from 'zod';
import { refFormatProblem, refProblemText } from './git-ref.js';

/** A DNS-1123 label: what Kubernetes accepts as a namespace or release name, and what we accept as a service name. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/;

/**
 * A name as the catalog spells it: ASCII lower-cased, checked against the DNS-label rule. Only
 * ASCII is lower-cased, so that no other letter (the Kelvin sign's "k") turns into a name.
 */
export function nameOf(word: string): { ok: true; name: string } | { ok: false } {
  const name = word.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return DNS_LABEL.test(name) ? { ok: true, name } : { ok: false };
}

export const serviceName = z
  .string()
  .regex(DNS_LABEL, 'a lower-case name of letters, digits and dashes (at most 53 characters)');

export const environmentName = serviceName;

/** A git ref a user may type: branch, tag or commit, by every rule of core/domain/git-ref.ts. */
export const gitRef = z.string().check((context) => {
  const problem = refFormatProblem(context.value);
  if (problem === undefined) return;
  context.issues.push({
    code: 'custom',
    input: context.value,
    message: `a branch, tag or commit git accepts (${refProblemText(problem)})`,
  });
});

export const slackUserId = z
  .string()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user ID such as U024BE7LH');
export const slackUserGroupId = z
  .string()
  .regex(/^S[A-Z0-9]{2,}$/, 'a Slack user-group ID such as S0614TZR7');
export const slackChannelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel ID such as C024BE91L');
