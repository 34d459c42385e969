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

/** What deleting a conversation removed with it. */
export const ConversationDeletionSchema = z.object({ messages: z.number().int(), spans: z.number().int() });
export type ConversationDeletion = z.infer<typeof ConversationDeletionSchema>;
