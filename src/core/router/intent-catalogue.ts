import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/errors';

/**
 * How a slot's value is found in the request: a file path, a URL, free text to write, a search query, a fact to
 * remember, or the subject of a memory to forget.
 */
export const SlotKindSchema = z.enum(['path', 'url', 'content', 'query', 'fact', 'subject']);
export type SlotKind = z.infer<typeof SlotKindSchema>;

export const SlotSpecSchema = z.object({
  kind: SlotKindSchema,
  description: z.string().default(''),
  required: z.boolean().default(false),
  default: z.string().optional(),
});
export type SlotSpec = z.infer<typeof SlotSpecSchema>;

/** The built-in model's plan for an intent: one tool, its arguments filled from slots as `{slot}`. */
export const ToolPlanSchema = z.object({ tool: z.string(), arguments: z.record(z.string(), z.string()) });

export const IntentSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_.-]*$/, 'intent ids are lower-case words joined by . _ or -'),
  description: z.string().min(1),
  examples: z.array(z.string().min(1)).min(3, 'each intent needs at least 3 examples'),
  slots: z.record(z.string(), SlotSpecSchema).default({}),
  tools: z.array(z.string()).default([]),
  /** Below this calibrated confidence the turn does not trust the intent (no tools are offered). */
  threshold: z.number().min(0).max(1).default(0.5),
  plan: ToolPlanSchema.optional(),
});
export type Intent = z.infer<typeof IntentSchema>;

export const OUT_OF_SCOPE = 'out_of_scope';

export const IntentCatalogueSchema = z
  .object({
    version: z.literal(1),
    /** A request whose best cosine similarity to every example is below this is out of scope. */
    minSimilarity: z.number().min(0).max(1).default(0.12),
    intents: z.array(IntentSchema).min(2),
  })
  .superRefine((catalogue, ctx) => {
    const ids = new Set<string>();
    for (const intent of catalogue.intents) {
      if (ids.has(intent.id)) ctx.addIssue({ code: 'custom', message: `intent "${intent.id}" is declared twice` });
      ids.add(intent.id);
      for (const match of JSON.stringify(intent.plan?.arguments ?? {}).matchAll(/\{(\w+)\}/g)) {
        if (!(match[1]! in intent.slots)) ctx.addIssue({ code: 'custom', message: `intent "${intent.id}" plans with slot {${match[1]}} that it does not declare` });
      }
    }
    if (!ids.has(OUT_OF_SCOPE)) ctx.addIssue({ code: 'custom', message: `the catalogue needs an "${OUT_OF_SCOPE}" intent with examples of requests to refuse` });
  });
export type IntentCatalogue = z.infer<typeof IntentCatalogueSchema>;

/** Parses and validates a catalogue; a bad file is a clear error naming the field, never a half-loaded router. */
export function parseIntentCatalogue(text: string, source = 'intent catalogue'): IntentCatalogue {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `${source} is not valid YAML: ${(error as Error).message}`);
  }
  const result = IntentCatalogueSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new AppError('VALIDATION_FAILED', `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}. Fix the file and try again.`);
  }
  return result.data;
}

export function loadIntentCatalogue(file: string): IntentCatalogue {
  return parseIntentCatalogue(readFileSync(file, 'utf8'), file);
}
