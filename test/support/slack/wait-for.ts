import type { TranscriptStore } from './transcript-store.js';

export interface WaitOptions {
  timeoutMs?: number;
  /** What is being waited for, for the failure message. */
  description?: string;
}

/**
 * Resolves once `condition` holds, re-checking after every change to the transcript; fails after
 * `timeoutMs` (default 10 s) with what `describe()` says Slack shows.
 */
export async function waitForTranscript(
  transcript: TranscriptStore,
  condition: () => boolean,
  options: WaitOptions,
  describe: () => string,
): Promise<void> {
  if (condition()) return;
  const timeoutMs = options.timeoutMs ?? 10_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      const what = options.description ?? 'a condition';
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; Slack shows:\n${describe()}`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = transcript.onChange(() => {
      let met: boolean;
      try {
        met = condition();
      } catch (error) {
        clearTimeout(timer);
        unsubscribe();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (met) {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  });
}
