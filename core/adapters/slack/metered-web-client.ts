import { WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import type { ChatCallMetrics } from '../../ports/metrics.js';

/** A wrapper the client unfolds into the real calls it makes (files.getUploadURLExternal, …). */
const WRAPPERS = new Set(['files.uploadV2']);

/** The Web API method a request URL names (`…/api/chat.update` → `chat.update`). */
function methodOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1) || 'unknown';
}

/**
 * Slack's Web API client that tells `metrics` how each call ended and each 429 it met. Every call
 * goes through `apiCall` (the typed methods and paginate too), so nothing is left out.
 */
export class MeteredWebClient extends WebClient {
  constructor(
    token: string,
    options: WebClientOptions,
    private readonly metrics: ChatCallMetrics,
  ) {
    super(token, options);
    this.on(WebClientEvent.RATE_LIMITED, (_retryAfterSeconds: number, request: { url: string }) => {
      metrics.rateLimited({ method: methodOf(request.url) });
    });
  }

  override async apiCall(
    method: string,
    options?: Record<string, unknown>,
  ): ReturnType<WebClient['apiCall']> {
    if (WRAPPERS.has(method)) return super.apiCall(method, options);
    try {
      const result = await super.apiCall(method, options);
      this.metrics.called({ method, outcome: 'ok' });
      return result;
    } catch (error) {
      this.metrics.called({ method, outcome: 'error' });
      throw error;
    }
  }
}
