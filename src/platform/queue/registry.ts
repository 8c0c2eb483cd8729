import { UnrecoverableError } from 'bullmq';
import { QUEUE_NAMES } from '../../config/env.js';
import type { JobContext, JobDefinition, QueueName } from './queue.js';

export class JobRegistryError extends Error {
  override name = 'JobRegistryError';
}

export interface JobRegistry {
  /** The queues this process consumes, each with its definition. */
  readonly queues: readonly QueueName[];
  get(queue: QueueName): JobDefinition;
}

/**
 * Checks at start-up that every consumed queue has exactly one definition, so a process
 * never takes jobs it cannot run. Throws one error listing every problem.
 */
export function createJobRegistry(
  definitions: readonly JobDefinition[],
  consumed: readonly QueueName[] = QUEUE_NAMES,
): JobRegistry {
  const byQueue = new Map<QueueName, JobDefinition[]>();
  for (const def of definitions) byQueue.set(def.queue, [...(byQueue.get(def.queue) ?? []), def]);
  const wanted = [...new Set(consumed)];
  const missing = wanted.filter((q) => !byQueue.has(q));
  const duplicated = [...byQueue].filter(([, defs]) => defs.length > 1).map(([q]) => q);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`no processor for queue ${missing.join(', ')}`);
  if (duplicated.length > 0) problems.push(`more than one processor for queue ${duplicated.join(', ')}`);
  if (problems.length > 0) throw new JobRegistryError(`Job registry: ${problems.join('; ')}`);
  return {
    queues: wanted,
    get(queue) {
      const def = byQueue.get(queue)?.[0];
      if (!def || !wanted.includes(queue)) throw new JobRegistryError(`Job registry: queue ${queue} is not consumed here`);
      return def;
    },
  };
}

/**
 * Validates the payload with the definition's schema, then runs the processor. A payload
 * that fails its schema can never succeed, so it fails the job permanently.
 */
export async function executeJob(def: JobDefinition, data: unknown, ctx: JobContext): Promise<void> {
  const parsed = def.payload.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    ctx.log.error({ queue: def.queue, jobId: ctx.jobId, issues }, `job payload rejected by the ${def.queue} schema; failing permanently`);
    throw new UnrecoverableError(`invalid ${def.queue} payload: ${issues.join('; ')}`);
  }
  await def.process(parsed.data, ctx);
}
