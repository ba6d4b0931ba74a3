import { mayDeploy } from '../domain/authorisation.js';
import type { EnvironmentConfig } from '../domain/catalog.js';
import { DeployError } from '../domain/deploy-error.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { Logger } from '../logger.js';
import type { ProgressReporter } from '../reporting/progress-reporter.js';
import type { DeployDependencies } from './deploy-dependencies.js';
import type { Finished } from './deploy-ending.js';

/**
 * The requester's right checked again on the worker, before anything runs: someone may have lost
 * it since they asked, and a job in Redis is only as trustworthy as whoever can write there.
 * Ends the deploy, saying why, when they may not (or it could not be shown that they may).
 */
export async function endUnlessStillAllowed(
  request: DeployRequest,
  environment: EnvironmentConfig,
  deps: Pick<DeployDependencies, 'directory'>,
  report: { reporter: ProgressReporter; logger: Logger },
): Promise<Finished | undefined> {
  const mayStill = await mayDeploy(request.origin.user.id, environment, (group) =>
    deps.directory.userGroupMembers(group),
  ).catch((error: unknown) => {
    report.logger.warn({ err: error }, 'could not check the requester’s right to deploy');
    return undefined;
  });
  if (mayStill === true) return undefined;
  return notAllowedNow(request, report.reporter, mayStill === false);
}

/** A job whose requester may not (or could not be shown to) deploy there now: nothing runs. */
async function notAllowedNow(
  request: DeployRequest,
  reporter: ProgressReporter,
  refused: boolean,
): Promise<Finished> {
  const reason = refused
    ? `the requester may no longer deploy to ${request.environment} (they are not among its deployers now); nothing was deployed.`
    : `I could not check that the requester may still deploy to ${request.environment} (the user-group look-up failed); nothing was deployed. Deploy again in a minute.`;
  await reporter.finish({ type: 'failed', stage: 'source', reason });
  const error = new DeployError('NOT_AUTHORISED', reason);
  return { kind: 'finished', result: { ok: false, stage: 'source', error, log: '', outputs: {} } };
}
