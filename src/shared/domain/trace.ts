import { z } from 'zod';

/** One row of the traces list: a trace's root span and what happened under it. */
export const TraceSummarySchema = z.object({
  traceId: z.string(),
  name: z.string(),
  conversationId: z.string().nullable(),
  startTime: z.number(),
  endTime: z.number(),
  spanCount: z.number(),
  /** Steps that failed, not counting those cut short by a stop (Stop, Esc) or denied: neither is anyone's error. */
  errorCount: z.number(),
  /** Tool calls refused (by a policy rule, by the person, for want of an answer in time): decisions, not errors. */
  deniedCount: z.number(),
  /** How the turn ended: "stopped" when the person stopped it (its root failed only because of that). */
  status: z.enum(['ok', 'error', 'stopped']),
  toolNames: z.array(z.string()),
  /**
   * The start of what the turn was asked (its person's message, one line, secrets masked as stored), so the turns
   * of one conversation can be told apart; absent when not known or not the caller's to see (content).
   */
  request: z.string().optional(),
});
export type TraceSummary = z.infer<typeof TraceSummarySchema>;

export const TraceFilterSchema = z
  .object({
    conversationId: z.string().min(1).max(200).optional(),
    toolName: z.string().min(1).max(200).optional(),
    status: z.enum(['ok', 'error', 'stopped']).optional(),
    /** Only traces with at least one failed span (a failed tool inside an otherwise ok turn counts; a stopped or denied one does not). */
    errorsOnly: z.boolean().optional(),
    /** Epoch ms, inclusive. */
    since: z.number().optional(),
    until: z.number().optional(),
    limit: z.number().int().min(1).max(1_000).optional(),
  })
  .strict();
export type TraceFilter = z.infer<typeof TraceFilterSchema>;

export const CaptureModeSchema = z.enum(['off', 'metadata', 'full']);
export type CaptureMode = z.infer<typeof CaptureModeSchema>;

export const TelemetryStatusSchema = z.object({
  captureMode: CaptureModeSchema,
  /** Spans that never reached the local store or the collector; never dropped silently. */
  droppedSpans: z.object({ store: z.number(), otlp: z.number() }),
  storedSpans: z.number(),
  queuedSpans: z.number(),
  /** The collector as configured (its base URL), and where span batches go (`<endpoint>/v1/traces`). */
  otlp: z.object({ endpoint: z.string().nullable(), tracesUrl: z.string().nullable(), exportedSpans: z.number(), lastError: z.string().nullable() }),
});
export type TelemetryStatus = z.infer<typeof TelemetryStatusSchema>;

/**
 * Attributes that carry captured content (arguments, results, messages) rather than metadata. They are only
 * recorded in `full` capture mode, returned only to callers allowed to read content, and hidden in the viewer
 * until the person turns the content view on.
 */
export const CONTENT_ATTRIBUTE_KEYS: readonly string[] = [
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'portcullis.error.detail',
];

export function isContentAttribute(key: string): boolean {
  return CONTENT_ATTRIBUTE_KEYS.includes(key);
}
