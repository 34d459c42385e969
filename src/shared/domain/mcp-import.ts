import { z } from 'zod';

/** The other MCP hosts whose user-wide configs Portcullis can bring servers over from. */
export const OtherAppIdSchema = z.enum(['claude-desktop', 'claude-code', 'cursor', 'windsurf', 'lm-studio', 'vscode', 'goose']);
export type OtherAppId = z.infer<typeof OtherAppIdSchema>;

/** Another app's config found on this machine: its servers by name only (their env and headers hold credentials). */
export const ImportSourceSchema = z.object({
  id: OtherAppIdSchema,
  app: z.string(),
  file: z.string(),
  /** Its servers not yet in mcp.json, by name. */
  servers: z.array(z.string()),
  /** Its servers mcp.json already has a server by the same name for. */
  alreadyAdded: z.array(z.string()),
  problems: z.array(z.string()),
});
export type ImportSource = z.infer<typeof ImportSourceSchema>;

export const McpImportResultSchema = z.object({
  /** The servers now in mcp.json (and starting). */
  added: z.array(z.string()),
  /** What was left out, and why, one sentence each. */
  skipped: z.array(z.string()),
  movedToKeychain: z.array(z.string()),
});
export type McpImportResult = z.infer<typeof McpImportResultSchema>;
