import { z } from 'zod';

/** The person's chosen model, kept in the settings table under `model.selection`. */
export const ModelSelectionSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('builtin') }),
  z.object({
    provider: z.literal('openai-compatible'),
    baseUrl: z.url(),
    model: z.string().min(1),
    toolMode: z.enum(['native', 'prompted']).default('native'),
  }),
  z.object({ provider: z.literal('anthropic'), model: z.string().min(1) }),
  z.object({ provider: z.literal('openai'), model: z.string().min(1) }),
]);
export type ModelSelection = z.infer<typeof ModelSelectionSchema>;

export const MODEL_SELECTION_KEY = 'model.selection';
export const defaultModelSelection: ModelSelection = { provider: 'builtin' };

/** Keychain entry names of the hosted providers' API keys. */
export const secretNameFor = { anthropic: 'provider.anthropic.apiKey', openai: 'provider.openai.apiKey' } as const;
