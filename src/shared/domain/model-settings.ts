import { z } from 'zod';

/** A model's context in tokens, as a person may set it. */
export const CONTEXT_TOKENS = { min: 512, max: 10_000_000 } as const;
export const ContextTokensSchema = z.number().int().min(CONTEXT_TOKENS.min).max(CONTEXT_TOKENS.max);

/** The person's chosen model, kept in the settings table under `model.selection`. */
export const ModelSelectionSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('builtin') }).strict(),
  z
    .object({
      provider: z.literal('openai-compatible'),
      baseUrl: z.url({ protocol: /^https?$/ }).max(500),
      model: z.string().min(1).max(200),
      toolMode: z.enum(['native', 'prompted']).default('native'),
      /** The model's context in tokens, as the person set it; absent: asked of the server at each turn. */
      contextTokens: ContextTokensSchema.optional(),
      /** The person says the model sees images (a vision model): images tools return are sent to it. */
      vision: z.boolean().optional(),
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
  /** Unavailable because another keyring daemon changed the keyring under this Portcullis (a restart mends it), not for want of a keychain. */
  keyringChanged: z.boolean(),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

/** How many tokens a model takes in one request (prompt and reply together), and who said so, for the person. */
export const ContextWindowSchema = z.object({ tokens: z.number().int().positive(), source: z.string() });
export type ContextWindow = z.infer<typeof ContextWindowSchema>;

export const ModelTestResultSchema = z.object({
  ok: z.boolean(),
  toolCalling: z.boolean(),
  jsonOutput: z.boolean(),
  recommendedToolMode: z.enum(['native', 'prompted']),
  message: z.string(),
  /** The model's context as its server reports it (local servers only); null when it does not say. */
  context: ContextWindowSchema.nullable(),
});
export type ModelTestResult = z.infer<typeof ModelTestResultSchema>;
