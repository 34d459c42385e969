import { z } from 'zod';

/** One of a prompt's arguments, as its server describes it. */
export const McpPromptArgumentSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  required: z.boolean(),
});

/**
 * A prompt an MCP server offers (MCP's `prompts`): a message the person picks from the composer's `/` list, fills
 * in, reads and sends as their own. The server's words, cleaned; never sent to the model unread.
 */
export const McpPromptSchema = z.object({
  server: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z.array(McpPromptArgumentSchema),
});
export type McpPrompt = z.infer<typeof McpPromptSchema>;

export const McpPromptListSchema = z.object({
  prompts: z.array(McpPromptSchema),
  /** Servers that could not say theirs just now, and why. */
  problems: z.array(z.string()),
});
export type McpPromptList = z.infer<typeof McpPromptListSchema>;

/** The most a prompt may put in the composer; past it, the text is cut with a notice. */
export const MAX_PROMPT_TEXT = 100_000;
