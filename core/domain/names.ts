import { z } from 'zod';

/** A DNS-1123 label: what Kubernetes accepts as a namespace or release name, and what we accept as a service name. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/;

export const serviceName = z
  .string()
  .regex(DNS_LABEL, 'a lower-case name of letters, digits and dashes (at most 53 characters)');

export const environmentName = serviceName;

/**
 * A git ref a user may type: branch, tag or commit, as `git check-ref-format` allows them and
 * within a safe alphabet. No leading dash (it would read as a flag), no whitespace or shell
 * metacharacters; no `..`, no `//`, no leading or trailing `/`, no part starting with `.` or
 * ending in `.lock`, not ending in `.`.
 */
export const SAFE_GIT_REF =
  /^(?![-/])(?!.*\.\.)(?!.*\/\/)(?!(?:.*\/)?\.)(?!.*\.lock(?:\/|$))(?!.*[./]$)[A-Za-z0-9._/-]{1,200}$/;

export const gitRef = z
  .string()
  .regex(
    SAFE_GIT_REF,
    'a branch, tag or commit: letters, digits, and . _ / - (not starting with -)',
  );

export const slackUserId = z
  .string()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user ID such as U024BE7LH');
export const slackUserGroupId = z
  .string()
  .regex(/^S[A-Z0-9]{2,}$/, 'a Slack user-group ID such as S0614TZR7');
export const slackChannelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel ID such as C024BE91L');
