import { z } from 'zod';

export const ConversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** Held in memory only, never written to disk; gone when Portcullis quits. */
  private: z.boolean().optional(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/**
 * What deleting a conversation removed with it. `note`: what the person must know besides (the deleted text could
 * not yet be emptied out of a WAL file, another program reading the database); absent when nothing is left.
 */
export const ConversationDeletionSchema = z.object({ messages: z.number().int(), spans: z.number().int(), note: z.string().optional() });
export type ConversationDeletion = z.infer<typeof ConversationDeletionSchema>;
