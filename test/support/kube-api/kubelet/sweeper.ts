import type Docker from 'dockerode';
import { LABELS, ownerAlive } from './owner-labels.js';

/**
 * Removes containers that a kube-api double started in a process that has since died (a test
 * process killed before it could stop its double), or, with `instance`, all of one double's.
 */
export async function sweepContainers(docker: Docker, instance?: string): Promise<number> {
  const label =
    instance === undefined ? `${LABELS.managed}=true` : `${LABELS.instance}=${instance}`;
  const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
  const doomed = containers.filter(
    (container) => instance !== undefined || !ownerAlive(container.Labels),
  );
  await Promise.all(
    doomed.map((container) =>
      docker
        .getContainer(container.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  return doomed.length;
}
