import { z } from 'zod';
import { STAGES } from './stages.js';

const stageName = z.enum(STAGES);

/**
 * What a deploy job records as it goes, in BullMQ's `job.progress`: where it is, whom it waits
 * behind, or that its end was reported. The worker writes it and reads it back.
 */
export const jobProgressSchema = z.discriminatedUnion('kind', [
  /** The stage running and those done: enough to end the message of an abandoned deploy. */
  z.strictObject({ kind: z.literal('running'), stage: stageName, done: z.array(stageName) }),
  /** The release is busy: the job id of the deploy it said it waits behind. */
  z.strictObject({ kind: z.literal('waiting'), behind: z.string().min(1) }),
  /** The deploy's end was told in its message. */
  z.strictObject({ kind: z.literal('reported') }),
]);

export type JobProgress = z.infer<typeof jobProgressSchema>;

export type StagePosition = Omit<Extract<JobProgress, { kind: 'running' }>, 'kind'>;

/** A job's progress; undefined for none, or one this version does not read. */
export function readJobProgress(value: unknown): JobProgress | undefined {
  const parsed = jobProgressSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
