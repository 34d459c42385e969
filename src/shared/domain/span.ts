import { z } from 'zod';

/** The kinds of step a turn is made of; the trace viewer colors spans by kind. */
export const SpanKindSchema = z.enum(['turn', 'model', 'route', 'policy', 'approval', 'tool', 'sandbox', 'mcp', 'memory']);
export type SpanKind = z.infer<typeof SpanKindSchema>;

export const SpanAttributeValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export type SpanAttributeValue = z.infer<typeof SpanAttributeValueSchema>;

/** Something that happened at one moment inside a span (a retry, a chunk, a decision). */
export const SpanEventSchema = z.object({
  name: z.string(),
  time: z.number(),
  attributes: z.record(z.string(), SpanAttributeValueSchema),
});
export type SpanEvent = z.infer<typeof SpanEventSchema>;

export const SpanRecordSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  name: z.string(),
  kind: SpanKindSchema,
  startTime: z.number(),
  endTime: z.number(),
  status: z.enum(['ok', 'error']),
  statusMessage: z.string().nullable(),
  attributes: z.record(z.string(), SpanAttributeValueSchema),
  events: z.array(SpanEventSchema).optional(),
  /** A step still under way, in the live view of a running turn: its `endTime` is when it was read. Never stored. */
  inProgress: z.boolean().optional(),
});
export type SpanRecord = z.infer<typeof SpanRecordSchema>;
