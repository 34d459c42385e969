import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from './message';

/** One of a prompt's arguments, as its server describes it. */
export const McpPromptArgumentSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  required: z.boolean(),
});
export type McpPromptArgument = z.infer<typeof McpPromptArgumentSchema>;

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
  /** Its server suggests values for the arguments as they are typed (MCP's `completions`). */
  completes: z.boolean(),
});
export type McpPrompt = z.infer<typeof McpPromptSchema>;

export const McpPromptListSchema = z.object({
  prompts: z.array(McpPromptSchema),
  /** Servers that could not say theirs just now, and why. */
  problems: z.array(z.string()),
});
export type McpPromptList = z.infer<typeof McpPromptListSchema>;

/** Which prompt: its server and its name. */
export const PromptRefSchema = z.object({ server: z.string().min(1).max(64), name: z.string().min(1).max(300) });

/** A prompt's arguments as the person filled them in. */
export const PromptArgumentValuesSchema = z
  .record(z.string().max(200), z.string().max(10_000))
  .refine((args) => Object.keys(args).length <= 50, 'at most 50 arguments');

/**
 * The most a prompt or resource may put in the composer; past it, the text is cut with a notice. Below a message's
 * limit, so that the notice and the person's own words still fit.
 */
export const MAX_PROMPT_TEXT = MAX_MESSAGE_CHARS - 10_000;
