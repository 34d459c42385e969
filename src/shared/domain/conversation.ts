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
