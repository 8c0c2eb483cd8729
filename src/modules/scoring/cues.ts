import { z } from 'zod';
import { INTENTS } from '../../platform/db/schema.js';
import raw from './cues/intent-cues.json' with { type: 'json' };
import type { Intent } from './scoring.types.js';

const cueFile = z.object({
  bodyFactor: z.number().min(0).max(1),
  cues: z
    .array(
      z.object({
        id: z.string().min(1),
        intent: z.enum(INTENTS).nullable(),
        weight: z.number().int().min(-100).max(100),
        reason: z.string().min(1),
        /** "title": only a post's title (or a comment's text, which stands in for it) counts. */
        where: z.enum(['anywhere', 'title']).default('anywhere'),
        patterns: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
});

export interface Cue {
  id: string;
  intent: Intent | null;
  weight: number;
  reason: string;
  where: 'anywhere' | 'title';
  regex: RegExp;
}

export interface CueSet {
  bodyFactor: number;
  cues: readonly Cue[];
}

/** Validates a cue file and compiles each cue's patterns into one case-insensitive regex. */
export function compileCues(data: unknown): CueSet {
  const parsed = cueFile.parse(data);
  return {
    bodyFactor: parsed.bodyFactor,
    cues: parsed.cues.map((c) => ({
      id: c.id,
      intent: c.intent,
      weight: c.weight,
      reason: c.reason,
      where: c.where,
      regex: new RegExp(c.patterns.map((p) => `(?:${p})`).join('|'), 'i'),
    })),
  };
}

export const DEFAULT_CUES: CueSet = compileCues(raw);
