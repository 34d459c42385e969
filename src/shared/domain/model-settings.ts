import { z } from 'zod';

/** The person's chosen model, kept in the settings table under `model.selection`. */
export const ModelSelectionSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('builtin') }).strict(),
  z
    .object({
      provider: z.literal('openai-compatible'),
      baseUrl: z.url({ protocol: /^https?$/ }).max(500),
      model: z.string().min(1).max(200),
      toolMode: z.enum(['native', 'prompted']).default('native'),
    })
    .strict(),
  z.object({ provider: z.literal('anthropic'), model: z.string().min(1).max(200) }).strict(),
  z.object({ provider: z.literal('openai'), model: z.string().min(1).max(200) }).strict(),
]);
export type ModelSelection = z.infer<typeof ModelSelectionSchema>;

export const DetectedServerSchema = z.object({ kind: z.string(), name: z.string(), baseUrl: z.string(), models: z.array(z.string()) });
export type DetectedServer = z.infer<typeof DetectedServerSchema>;

export const ModelSettingsSchema = z.object({
  selection: ModelSelectionSchema,
  active: z.object({ id: z.string(), description: z.string() }),
  /** Whether a hosted key is in the keychain — never the key. */
  hostedKeys: z.object({ anthropic: z.boolean(), openai: z.boolean() }),
  keychainAvailable: z.boolean(),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

export const ModelTestResultSchema = z.object({
  ok: z.boolean(),
  toolCalling: z.boolean(),
  jsonOutput: z.boolean(),
  recommendedToolMode: z.enum(['native', 'prompted']),
  message: z.string(),
});
export type ModelTestResult = z.infer<typeof ModelTestResultSchema>;
