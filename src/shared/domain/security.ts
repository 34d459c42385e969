import { z } from 'zod';

export const ScopeSchema = z.enum(['chat', 'tools', 'approve', 'traces:read', 'traces:content', 'admin']);

/** A secret as the renderer may know it: its name and whether it is set. Never its value. */
export const SecretStatusSchema = z.object({ name: z.string(), set: z.boolean() });
export type SecretStatus = z.infer<typeof SecretStatusSchema>;

export const SecretNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'a secret name is letters, digits, ".", "_", ":" or "-"');

export const SecretsOverviewSchema = z.object({
  /** False when no OS keychain answers; `problem` then says why and how to fix it. */
  available: z.boolean(),
  problem: z.string().nullable(),
  /**
   * Unavailable because another keyring daemon changed the keyring under this Portcullis (a restart mends it),
   * not because there is no keychain: `problem` then has no setup steps to give.
   */
  keyringChanged: z.boolean(),
  secrets: z.array(SecretStatusSchema),
});
export type SecretsOverview = z.infer<typeof SecretsOverviewSchema>;

export const ApiKeyInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(ScopeSchema),
  /** The tool globs the key is limited to (`fs.read`, `everything.*`); null: every tool its scopes reach. */
  tools: z.array(z.string()).nullable(),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
});
export type ApiKeyInfoDto = z.infer<typeof ApiKeyInfoSchema>;

/** The desktop app's local API (HTTP + WebSocket on 127.0.0.1): off unless the person turns it on. */
export const LocalApiSettingSchema = z.object({
  enabled: z.boolean(),
  port: z.number().int().min(1024).max(65_535),
});
export type LocalApiSetting = z.infer<typeof LocalApiSettingSchema>;
export const DEFAULT_LOCAL_API_SETTING: LocalApiSetting = { enabled: false, port: 47_800 };
