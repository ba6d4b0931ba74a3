import type { RedisClient } from './redis-connection.js';
import { z } from 'zod';
import type { ReleaseRef } from '../domain/catalog.js';
import type { ReleaseOperation, ReleaseOperations } from '../ports/release-operations.js';
import { keyPrefix, parseStored } from './redis-keys.js';

export interface RedisReleaseOperationsOptions {
  connection: RedisClient;
  /** The installation's name in Redis (its queue's name). */
  namespace: string;
}

const operationSchema = z.object({
  jobId: z.string().min(1),
  operation: z.enum(['upgrade', 'rollback', 'uninstall']),
  revision: z.number().int(),
  startedAt: z.string(),
});

/** Ends the operation only if it is still the one recorded. */
const END_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** One key per release: the helm command a deploy began and has not seen end. */
export class RedisReleaseOperations implements ReleaseOperations {
  private readonly prefix: string;

  constructor(private readonly options: RedisReleaseOperationsOptions) {
    this.prefix = keyPrefix(options.namespace);
  }

  async begin(release: ReleaseRef, operation: ReleaseOperation): Promise<void> {
    await this.options.connection.set(this.key(release), this.value(operation));
  }

  async end(release: ReleaseRef, operation: ReleaseOperation): Promise<void> {
    await this.options.connection.eval(END_SCRIPT, 1, this.key(release), this.value(operation));
  }

  async current(release: ReleaseRef): Promise<ReleaseOperation | undefined> {
    const parsed = operationSchema.safeParse(
      parseStored(await this.options.connection.get(this.key(release))),
    );
    return parsed.success ? parsed.data : undefined;
  }

  private value(operation: ReleaseOperation): string {
    const { jobId, operation: verb, revision, startedAt } = operation;
    return JSON.stringify({ jobId, operation: verb, revision, startedAt });
  }

  private key(release: ReleaseRef): string {
    return `${this.prefix}helm-operation:${release.kubeContext ?? ''}/${release.namespace}/${release.release}`;
  }
}
