import { z } from 'zod';
import { ContextWindowSchema } from './model-settings';

/** A tool result sent cut to fit the model's context: its first `shownChars` characters of `totalChars`. */
export const ResultCutSchema = z.object({ shownChars: z.number().int().nonnegative(), totalChars: z.number().int().nonnegative() });
export type ResultCut = z.infer<typeof ResultCutSchema>;

/** How much of a conversation a model step is sent: what the chat's context meter shows. */
export const ContextUseSchema = z.object({
  /** Messages sent, the newest, and messages of earlier turns left out to fit. */
  messages: z.number().int().nonnegative(),
  omitted: z.number().int().nonnegative(),
  /** The estimated tokens of the history sent, and what the history was allowed. */
  tokens: z.number().int().nonnegative(),
  budget: z.number().int().nonnegative(),
  /**
   * The estimated tokens of what every request carries before any message: the system prompt and the tools'
   * definitions. In a small context they can leave the history no room at all.
   */
  overhead: z.number().int().nonnegative().optional(),
  /** Tools not offered to a model whose context cannot hold every definition: those the request least needs. */
  toolsLeftOut: z.number().int().nonnegative().optional(),
  /**
   * Tool results sent cut to their start to fit a known context (the chat keeps them whole): what the model says
   * of such a result (a CSV summed up) rests on its first part only, and the person should know.
   */
  resultsCut: z.number().int().nonnegative().optional(),
  /** Those results, each with how much of it the model saw: its card says so. */
  cutResults: z.array(ResultCutSchema.extend({ toolCallId: z.string() })).optional(),
  /** The model's context, when the server or the person said; null: the default history limit applies. */
  context: ContextWindowSchema.nullable(),
});
export type ContextUse = z.infer<typeof ContextUseSchema>;
