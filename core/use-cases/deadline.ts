import { DeployError, type ErrorCode } from '../domain/deploy-error.js';

/**
 * Rejects with a DeployError when `work` takes longer than `ms`. Slack gives a command 3 seconds,
 * so every outside call made before the acknowledgement runs under one of these.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  code: ErrorCode,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new DeployError(code, `${what} did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
