import type { JsonObject } from './json.js';

/**
 * A Web API failure as Slack reports it: HTTP 200 with `{"ok":false,"error":"<name>"}` plus any
 * extra fields (for example `response_metadata.messages` for invalid blocks).
 */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: JsonObject = {},
  ) {
    super(code);
    this.name = 'SlackApiError';
  }
}

/** Slack's answer when a required argument is absent and the method has no more specific error. */
export function missingArgument(name: string): SlackApiError {
  return new SlackApiError('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] missing required field: ${name}`] },
  });
}
