import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem.js';

/**
 * Whether any string in a parsed query, params or JSON body holds a NUL character.
 * Walked with a stack, not recursion, so a deeply nested body cannot overflow it.
 */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [key, item] of Object.entries(v)) stack.push(key, item);
    }
  }
  return false;
}

/*
 * PostgreSQL text cannot hold NUL (U+0000): a search or a campaign name carrying one would
 * fail in the database as a 500. No one types it on purpose, so the request is refused
 * before validation with a 400 that says which character is wrong.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (containsNul(request.query) || containsNul(request.params) || containsNul(request.body)) {
      return sendProblem(reply, problem(400, 'nul_character', 'Text in the request must not contain the NUL character (U+0000).'));
    }
  });
}
