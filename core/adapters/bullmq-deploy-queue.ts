import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { deployRequestSchema, type DeployRequest } from '../domain/deploy-request.js';
import type { DeployQueue } from '../ports/deploy-queue.js';

export interface BullmqDeployQueueOptions {
  connection: Redis;
  queueName: string;
}

/** Deploy requests as BullMQ jobs, one per request id (BullMQ ignores a second add with the same jobId). */
export class BullmqDeployQueue implements DeployQueue {
  private readonly queue: Queue<DeployRequest>;

  constructor(options: BullmqDeployQueueOptions) {
    this.queue = new Queue<DeployRequest>(options.queueName, { connection: options.connection });
  }

  async enqueue(request: DeployRequest): Promise<{ jobId: string }> {
    const data = deployRequestSchema.parse(request);
    const job = await this.queue.add('deploy', data, {
      jobId: data.id,
      removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    return { jobId: job.id ?? data.id };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
