import { z } from 'zod';
import { MemorySchema, RetentionReportSchema, RetentionSettingsSchema, SearchHitSchema } from '../domain/memory';

const IdSchema = z.string().min(1).max(200);

/** Search, memories and retention channels (issue 5), spread into `requestContract`. */
export const memoryRequestContract = {
  'search.query': {
    input: z
      .object({
        query: z.string().trim().min(1).max(500),
        scope: z.enum(['all', 'messages', 'memories']).optional(),
        limit: z.number().int().min(1).max(100).optional(),
      })
      .strict(),
    output: z.array(SearchHitSchema),
  },
  'memories.list': {
    input: z.object({}).strict(),
    output: z.array(MemorySchema),
  },
  'memories.update': {
    input: z.object({ id: IdSchema, content: z.string().trim().min(1).max(4_000) }).strict(),
    output: MemorySchema,
  },
  'memories.delete': {
    input: z.object({ id: IdSchema }).strict(),
    output: z.object({ deleted: z.boolean() }),
  },
  'retention.get': {
    input: z.object({}).strict(),
    output: z.object({ settings: RetentionSettingsSchema, databaseBytes: z.number().int() }),
  },
  'retention.set': {
    input: RetentionSettingsSchema.strict(),
    output: RetentionSettingsSchema,
  },
  'retention.purge': {
    input: z.object({}).strict(),
    output: RetentionReportSchema,
  },
  'data.export': {
    input: z.object({}).strict(),
    output: z.object({ file: z.string(), rows: z.record(z.string(), z.number().int()) }),
  },
  'data.deleteAll': {
    input: z.object({ confirm: z.literal('delete everything') }).strict(),
    output: RetentionReportSchema,
  },
} as const;
