import { z } from 'zod';

/** A long-term fact, with the message it was learned from (null once that message is deleted). */
export const MemorySchema = z.object({
  id: z.string(),
  content: z.string(),
  sourceMessageId: z.string().nullable(),
  conversationId: z.string().nullable(),
  /** The untrusted content its conversation held when the model saved it (`TaintSource.description`), if any. */
  taintSource: z.string().optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Memory = z.infer<typeof MemorySchema>;

/**
 * One full-text search hit: a message, a memory or a tool's result, with a snippet of its text and where the
 * matches are in it. A tool result's `id` is its call's id.
 */
export const SearchHitSchema = z.object({
  kind: z.enum(['message', 'memory', 'tool_result']),
  id: z.string(),
  conversationId: z.string().nullable(),
  conversationTitle: z.string().nullable(),
  role: z.string().nullable(),
  snippet: z.string(),
  /** The matches in `snippet`, as [start, end) character ranges. */
  marks: z.array(z.tuple([z.number().int(), z.number().int()])),
  /**
   * bm25 in its own index (lower is better): comparable only with hits of the same kind. The list's order is the
   * merged ranking, which measures each hit against the best of its kind.
   */
  score: z.number(),
  createdAt: z.number().int(),
  /** A tool result's tool. */
  toolName: z.string().optional(),
  /** A message's: who made a request the person did not type (a script, an MCP client, the terminal). */
  author: z.string().optional(),
  /** A memory's: the message it was learned from, where opening the hit shows its conversation. */
  sourceMessageId: z.string().optional(),
  /** The snippet is text a tool returned (a tool result): not the person's nor the agent's words, shown as such. */
  untrusted: z.boolean().optional(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** The person's retention choices. `null` means "keep forever" / "no cap". */
export const RetentionSettingsSchema = z.object({
  conversationDays: z.number().int().min(1).max(36_500).nullable(),
  traceDays: z.number().int().min(1).max(36_500).nullable(),
  maxDatabaseMb: z.number().int().min(1).max(1_000_000).nullable(),
  /** New chats are private: held in memory only, never written to disk. */
  privateChats: z.boolean().default(false),
});
export type RetentionSettings = z.infer<typeof RetentionSettingsSchema>;
export type RetentionSettingsInput = z.input<typeof RetentionSettingsSchema>;

export const DEFAULT_RETENTION: RetentionSettings = { conversationDays: null, traceDays: 30, maxDatabaseMb: null, privateChats: false };

/** What one retention run removed. */
export const RetentionReportSchema = z.object({
  reason: z.string(),
  conversations: z.number().int(),
  messages: z.number().int(),
  spans: z.number().int(),
  bytesBefore: z.number().int(),
  bytesAfter: z.number().int(),
  /** Set when another program kept a WAL from being emptied: the deleted text stays there for now. */
  note: z.string().optional(),
});
export type RetentionReport = z.infer<typeof RetentionReportSchema>;
