import {
  removeKey,
  clone,
  jsonEqual,
  numberAt,
  objectAt,
  objectsAt,
  stringAt,
  type JsonObject,
  type JsonValue,
} from '../json.js';
import { controllerOf, type KubeObject } from '../objects.js';
import type { StoreEvent } from '../store.js';
import { recordEvent } from './events.js';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from './kinds.js';
import {
  CONTROLLER_MANAGER,
  keyOf,
  splitKey,
  WorkQueue,
  type ControllerRuntime,
} from './runtime.js';

const HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** ComputeHash: FNV-1a over the template, rendered with rand.SafeEncodeString, as pod-template-hash is. */
export function podTemplateHash(template: JsonValue, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const text = JSON.stringify(template) + (collisionCount > 0 ? String(collisionCount) : '');
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const digits = String(hash);
  let encoded = '';
  for (let index = 0; index < digits.length; index += 1) {
    encoded += SAFE_ALPHABET.charAt(digits.charCodeAt(index) % SAFE_ALPHABET.length);
  }
  return encoded;
}

function templateWithoutHash(template: JsonObject | undefined): JsonObject {
  const copy = clone(template ?? {});
  const labels = objectAt(copy, 'metadata', 'labels');
  if (labels !== undefined) removeKey(labels, HASH_LABEL);
  return copy;
}

/** Resolves an int-or-percent such as maxSurge "25%" against the replica count. */
export function resolveIntOrPercent(
  value: JsonValue | undefined,
  total: number,
  roundUp: boolean,
): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const exact = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return 0;
}

const replicasOf = (object: KubeObject): number => numberAt(object, 'spec', 'replicas') ?? 0;
const statusCount = (object: KubeObject, field: string): number =>
  numberAt(object, 'status', field) ?? 0;
const revisionOf = (object: KubeObject): number =>
  Number(object.metadata.annotations?.[REVISION] ?? '0');

interface Condition extends JsonObject {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

/**
 * The Deployment controller: one ReplicaSet per pod template (`<deployment>-<pod-template-hash>`),
 * rolling updates bounded by maxSurge and maxUnavailable (or Recreate), and the status and
 * conditions (Available, Progressing with NewReplicaSetAvailable or ProgressDeadlineExceeded).
 */
export class DeploymentController {
  private readonly queue: WorkQueue;

  constructor(private readonly runtime: ControllerRuntime) {
    this.queue = new WorkQueue(runtime, (key) => {
      this.reconcile(key);
    });
  }

  onEvent(event: StoreEvent): void {
    const { object } = event;
    if (event.resource === DEPLOYMENTS && event.type !== 'DELETED') this.queue.add(keyOf(object));
    if (event.resource === REPLICA_SETS) {
      const owner = controllerOf(object);
      if (owner?.kind === 'Deployment')
        this.queue.add(`${object.metadata.namespace ?? ''}/${owner.name}`);
    }
    if (event.resource === PODS && event.type === 'DELETED') {
      const owner = controllerOf(object);
      if (owner?.kind !== 'ReplicaSet') return;
      const replicaSet = this.runtime.api.tryGet(
        REPLICA_SETS,
        object.metadata.namespace ?? '',
        owner.name,
      );
      const deployment = replicaSet === undefined ? undefined : controllerOf(replicaSet);
      if (deployment?.kind === 'Deployment')
        this.queue.add(`${object.metadata.namespace ?? ''}/${deployment.name}`);
    }
  }

  private replicaSetsOf(deployment: KubeObject): KubeObject[] {
    return this.runtime.api.store
      .list(REPLICA_SETS, deployment.metadata.namespace)
      .filter((replicaSet) => controllerOf(replicaSet)?.uid === deployment.metadata.uid);
  }

  private reconcile(key: string): void {
    const { api } = this.runtime;
    const { namespace, name } = splitKey(key);
    const deployment = api.tryGet(DEPLOYMENTS, namespace, name);
    if (deployment === undefined || deployment.metadata.deletionTimestamp !== undefined) return;
    const template = objectAt(deployment, 'spec', 'template');
    let all = this.replicaSetsOf(deployment);
    let newReplicaSet = all.find((replicaSet) =>
      jsonEqual(
        templateWithoutHash(objectAt(replicaSet, 'spec', 'template')),
        templateWithoutHash(template),
      ),
    );
    const maxOldRevision = Math.max(
      0,
      ...all.filter((replicaSet) => replicaSet !== newReplicaSet).map(revisionOf),
    );
    let progressEvent: { reason: string; message: string } | undefined;

    if (newReplicaSet === undefined) {
      newReplicaSet = this.createReplicaSet(deployment, maxOldRevision + 1, all);
      progressEvent = {
        reason: 'NewReplicaSetCreated',
        message: `Created new replica set "${newReplicaSet.metadata.name ?? ''}"`,
      };
      all = [...all, newReplicaSet];
    } else if (revisionOf(newReplicaSet) <= maxOldRevision) {
      // A rollback to an older template: that ReplicaSet becomes the newest revision again.
      newReplicaSet = this.setReplicaSetRevision(newReplicaSet, maxOldRevision + 1);
      all = all.map((replicaSet) =>
        replicaSet.metadata.uid === newReplicaSet?.metadata.uid
          ? (newReplicaSet as KubeObject)
          : replicaSet,
      );
    }
    const current = newReplicaSet;
    const old = all.filter((replicaSet) => replicaSet.metadata.uid !== current.metadata.uid);

    const strategy = stringAt(deployment, 'spec', 'strategy', 'type') ?? 'RollingUpdate';
    if (strategy === 'Recreate') this.recreate(deployment, current, old);
    else this.rollingUpdate(deployment, current, old);
    this.cleanUpHistory(deployment, current);
    this.writeStatus(deployment, current, progressEvent);
  }

  private createReplicaSet(
    deployment: KubeObject,
    revision: number,
    existing: readonly KubeObject[],
  ): KubeObject {
    const { api } = this.runtime;
    const template = clone(objectAt(deployment, 'spec', 'template') ?? {});
    const hash = podTemplateHash(template, numberAt(deployment, 'status', 'collisionCount') ?? 0);
    const templateMetadata = (template.metadata ??= {}) as JsonObject;
    const labels = { ...((templateMetadata.labels ?? {}) as JsonObject), [HASH_LABEL]: hash };
    templateMetadata.labels = labels;
    const selector = clone(objectAt(deployment, 'spec', 'selector') ?? {});
    selector.matchLabels = { ...((selector.matchLabels ?? {}) as JsonObject), [HASH_LABEL]: hash };
    const desired = replicasOf(deployment);
    const surge = resolveIntOrPercent(
      objectAt(deployment, 'spec', 'strategy', 'rollingUpdate')?.maxSurge,
      desired,
      true,
    );
    const oldTotal = existing.reduce((sum, replicaSet) => sum + replicasOf(replicaSet), 0);
    const recreate = stringAt(deployment, 'spec', 'strategy', 'type') === 'Recreate';
    const initial =
      oldTotal === 0
        ? desired
        : recreate
          ? 0
          : Math.max(0, Math.min(desired, desired + surge - oldTotal));
    const name = `${deployment.metadata.name ?? ''}-${hash}`;
    const replicaSet = api.create(
      REPLICA_SETS,
      deployment.metadata.namespace ?? '',
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          labels,
          annotations: {
            ...(deployment.metadata.annotations ?? {}),
            'deployment.kubernetes.io/desired-replicas': String(desired),
            'deployment.kubernetes.io/max-replicas': String(desired + surge),
            [REVISION]: String(revision),
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: deployment.metadata.name ?? '',
              uid: deployment.metadata.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: initial,
          minReadySeconds: numberAt(deployment, 'spec', 'minReadySeconds') ?? 0,
          selector,
          template,
        },
      },
      CONTROLLER_MANAGER,
    );
    if (initial > 0) this.scaledEvent(deployment, replicaSet, 0, initial);
    return replicaSet;
  }

  private setReplicaSetRevision(replicaSet: KubeObject, revision: number): KubeObject {
    const next = clone(replicaSet);
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      [REVISION]: String(revision),
    };
    return this.runtime.api.update(
      REPLICA_SETS,
      next.metadata.namespace ?? '',
      next.metadata.name ?? '',
      next,
      CONTROLLER_MANAGER,
    );
  }

  private scale(deployment: KubeObject, replicaSet: KubeObject, replicas: number): KubeObject {
    const from = replicasOf(replicaSet);
    if (from === replicas) return replicaSet;
    const next = clone(replicaSet);
    (next.spec as JsonObject).replicas = replicas;
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      'deployment.kubernetes.io/desired-replicas': String(replicasOf(deployment)),
    };
    const scaled = this.runtime.api.update(
      REPLICA_SETS,
      next.metadata.namespace ?? '',
      next.metadata.name ?? '',
      next,
      CONTROLLER_MANAGER,
    );
    this.scaledEvent(deployment, scaled, from, replicas);
    return scaled;
  }

  private scaledEvent(
    deployment: KubeObject,
    replicaSet: KubeObject,
    from: number,
    to: number,
  ): void {
    recordEvent(this.runtime.api, deployment, {
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: `Scaled ${to > from ? 'up' : 'down'} replica set ${replicaSet.metadata.name ?? ''} from ${from} to ${to}`,
      component: 'deployment-controller',
    });
  }

  private recreate(deployment: KubeObject, current: KubeObject, old: readonly KubeObject[]): void {
    for (const replicaSet of old) this.scale(deployment, replicaSet, 0);
    const oldPods = old.some((replicaSet) => statusCount(replicaSet, 'replicas') > 0);
    if (!oldPods) this.scale(deployment, current, replicasOf(deployment));
  }

  private rollingUpdate(
    deployment: KubeObject,
    current: KubeObject,
    old: readonly KubeObject[],
  ): void {
    const desired = replicasOf(deployment);
    const rolling = objectAt(deployment, 'spec', 'strategy', 'rollingUpdate');
    const maxSurge = resolveIntOrPercent(rolling?.maxSurge ?? '25%', desired, true);
    let maxUnavailable = resolveIntOrPercent(rolling?.maxUnavailable ?? '25%', desired, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;

    // Scale the new ReplicaSet up, within desired + maxSurge pods in total.
    let newReplicaSet = current;
    const total = (): number =>
      replicasOf(newReplicaSet) + old.reduce((sum, replicaSet) => sum + replicasOf(replicaSet), 0);
    if (replicasOf(newReplicaSet) > desired) {
      newReplicaSet = this.scale(deployment, newReplicaSet, desired);
    } else if (replicasOf(newReplicaSet) < desired) {
      const room = desired + maxSurge - total();
      if (room > 0)
        newReplicaSet = this.scale(
          deployment,
          newReplicaSet,
          replicasOf(newReplicaSet) + Math.min(room, desired - replicasOf(newReplicaSet)),
        );
    }

    // Scale old ReplicaSets down, keeping desired - maxUnavailable pods available.
    const oldTotal = old.reduce((sum, replicaSet) => sum + replicasOf(replicaSet), 0);
    if (oldTotal === 0) return;
    const minAvailable = desired - maxUnavailable;
    const newUnavailable =
      replicasOf(newReplicaSet) - statusCount(newReplicaSet, 'availableReplicas');
    let budget = total() - minAvailable - Math.max(0, newUnavailable);
    const sorted = [...old].sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
    // First the old pods that are not available anyway.
    for (const replicaSet of sorted) {
      if (budget <= 0) break;
      const unhealthy = replicasOf(replicaSet) - statusCount(replicaSet, 'availableReplicas');
      if (unhealthy <= 0) continue;
      const cut = Math.min(budget, unhealthy);
      this.scale(deployment, replicaSet, replicasOf(replicaSet) - cut);
      budget -= cut;
    }
    const refreshed = sorted.map(
      (replicaSet) =>
        this.runtime.api.tryGet(
          REPLICA_SETS,
          replicaSet.metadata.namespace ?? '',
          replicaSet.metadata.name ?? '',
        ) ?? replicaSet,
    );
    const available =
      statusCount(newReplicaSet, 'availableReplicas') +
      refreshed.reduce((sum, replicaSet) => sum + statusCount(replicaSet, 'availableReplicas'), 0);
    let scaleDown = available - minAvailable;
    for (const replicaSet of refreshed) {
      if (scaleDown <= 0) break;
      const cut = Math.min(scaleDown, replicasOf(replicaSet));
      if (cut <= 0) continue;
      this.scale(deployment, replicaSet, replicasOf(replicaSet) - cut);
      scaleDown -= cut;
    }
  }

  private cleanUpHistory(deployment: KubeObject, current: KubeObject): void {
    const limit = numberAt(deployment, 'spec', 'revisionHistoryLimit') ?? 10;
    const idle = this.replicaSetsOf(deployment)
      .filter(
        (replicaSet) =>
          replicaSet.metadata.uid !== current.metadata.uid &&
          replicasOf(replicaSet) === 0 &&
          statusCount(replicaSet, 'replicas') === 0,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const replicaSet of idle.slice(0, Math.max(0, idle.length - limit))) {
      this.runtime.api.delete(
        REPLICA_SETS,
        replicaSet.metadata.namespace ?? '',
        replicaSet.metadata.name ?? '',
        { dryRun: false },
      );
    }
  }

  private writeStatus(
    deployment: KubeObject,
    newReplicaSet: KubeObject,
    progressEvent: { reason: string; message: string } | undefined,
  ): void {
    const { api } = this.runtime;
    const live = api.tryGet(
      DEPLOYMENTS,
      deployment.metadata.namespace ?? '',
      deployment.metadata.name ?? '',
    );
    if (live === undefined) return;
    const all = this.replicaSetsOf(live);
    const fresh =
      all.find((replicaSet) => replicaSet.metadata.uid === newReplicaSet.metadata.uid) ??
      newReplicaSet;
    const desired = replicasOf(live);
    const sum = (field: string): number =>
      all.reduce((total, replicaSet) => total + statusCount(replicaSet, field), 0);
    const replicas = sum('replicas');
    const updatedReplicas = statusCount(fresh, 'replicas');
    const readyReplicas = sum('readyReplicas');
    const availableReplicas = sum('availableReplicas');
    const specTotal = all.reduce((total, replicaSet) => total + replicasOf(replicaSet), 0);
    const previous = (live.status ?? {}) as JsonObject;
    const now = api.now();
    const rolling = objectAt(live, 'spec', 'strategy', 'rollingUpdate');
    const maxUnavailable =
      stringAt(live, 'spec', 'strategy', 'type') === 'Recreate'
        ? desired
        : resolveIntOrPercent(rolling?.maxUnavailable ?? '25%', desired, false);
    const conditions = objectsAt(previous, 'conditions') as Condition[];
    const setCondition = (
      type: string,
      status: string,
      reason: string,
      message: string,
      touch: boolean,
    ): void => {
      const existing = conditions.find((condition) => condition.type === type);
      if (
        existing !== undefined &&
        existing.status === status &&
        existing.reason === reason &&
        !touch
      )
        return;
      const next: Condition = {
        type,
        status,
        lastUpdateTime: now,
        lastTransitionTime:
          existing !== undefined && existing.status === status ? existing.lastTransitionTime : now,
        reason,
        message,
      };
      if (existing === undefined) conditions.push(next);
      else conditions.splice(conditions.indexOf(existing), 1, next);
    };

    const minimumAvailable = availableReplicas >= desired - maxUnavailable;
    setCondition(
      'Available',
      minimumAvailable ? 'True' : 'False',
      minimumAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      minimumAvailable
        ? 'Deployment has minimum availability.'
        : 'Deployment does not have minimum availability.',
      false,
    );

    const rsName = fresh.metadata.name ?? '';
    const deadline = numberAt(live, 'spec', 'progressDeadlineSeconds');
    const complete =
      updatedReplicas === desired &&
      replicas === desired &&
      availableReplicas === desired &&
      replicasOf(fresh) === desired;
    const progressed =
      updatedReplicas > (numberAt(previous, 'updatedReplicas') ?? 0) ||
      readyReplicas > (numberAt(previous, 'readyReplicas') ?? 0) ||
      availableReplicas > (numberAt(previous, 'availableReplicas') ?? 0) ||
      replicas - updatedReplicas <
        (numberAt(previous, 'replicas') ?? 0) - (numberAt(previous, 'updatedReplicas') ?? 0);
    if (deadline !== undefined) {
      const progressing = conditions.find((condition) => condition.type === 'Progressing');
      if (complete) {
        setCondition(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${rsName}" has successfully progressed.`,
          progressing?.reason !== 'NewReplicaSetAvailable',
        );
      } else if (progressEvent !== undefined) {
        setCondition('Progressing', 'True', progressEvent.reason, progressEvent.message, true);
      } else if (
        progressed ||
        progressing === undefined ||
        progressing.reason === 'NewReplicaSetAvailable'
      ) {
        setCondition(
          'Progressing',
          'True',
          'ReplicaSetUpdated',
          `ReplicaSet "${rsName}" is progressing.`,
          true,
        );
      } else if (progressing.reason !== 'ProgressDeadlineExceeded') {
        const since = Date.parse(progressing.lastUpdateTime);
        const due = since + deadline * 1000;
        if (Date.now() >= due) {
          setCondition(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            `ReplicaSet "${rsName}" has timed out progressing.`,
            true,
          );
          recordEvent(api, live, {
            type: 'Warning',
            reason: 'ProgressDeadlineExceeded',
            message: `Deployment "${live.metadata.name ?? ''}" has timed out progressing.`,
            component: 'deployment-controller',
          });
        } else {
          this.queue.add(keyOf(live), due - Date.now() + 10);
        }
      }
      if (!complete) {
        const current = conditions.find((condition) => condition.type === 'Progressing');
        if (current !== undefined && current.reason !== 'ProgressDeadlineExceeded') {
          this.queue.add(
            keyOf(live),
            Math.max(0, Date.parse(current.lastUpdateTime) + deadline * 1000 - Date.now()) + 10,
          );
        }
      }
    }

    const status: JsonObject = {
      observedGeneration: live.metadata.generation ?? 1,
      replicas,
      updatedReplicas,
      readyReplicas,
      availableReplicas,
      unavailableReplicas: Math.max(0, specTotal - availableReplicas),
      conditions,
    };
    for (const field of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ])
      if (status[field] === 0) removeKey(status, field);
    if (previous.collisionCount !== undefined) status.collisionCount = previous.collisionCount;
    const next = clone(live);
    next.status = status;
    next.metadata.annotations = {
      ...(live.metadata.annotations ?? {}),
      [REVISION]: String(revisionOf(fresh)),
    };
    api.update(DEPLOYMENTS, live.metadata.namespace ?? '', live.metadata.name ?? '', next, {
      ...CONTROLLER_MANAGER,
      subresource: 'status',
    });
  }
}
