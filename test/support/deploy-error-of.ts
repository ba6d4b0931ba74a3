import { DeployError } from '../../core/domain/deploy-error.js';

/** The DeployError a call rejects with; anything else (or success) fails the test. */
export async function deployErrorOf(promise: Promise<unknown>): Promise<DeployError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeployError) return error;
    throw error;
  }
  throw new Error('expected a DeployError, but the call succeeded');
}
