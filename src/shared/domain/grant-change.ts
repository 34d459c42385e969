import { z } from 'zod';

/**
 * One change of what mcp.json or http-fetch.json grants, as the audit chain recorded it (`sandbox.granted` /
 * `sandbox.revoked`): for the history on Tools & servers, where the person sees who was let do what, and when.
 */
export const GrantChangeSchema = z.object({
  seq: z.number().int(),
  at: z.number(),
  /** More allowed (true) or taken back. */
  granted: z.boolean(),
  /** The MCP server it is about; absent for the built-in http.fetch (`tool`). */
  server: z.string().optional(),
  tool: z.string().optional(),
  /** folder: one it may write; readFolder: one of the home folder it may read; readHome: all of the home folder; sshAgent: the session's SSH agent. */
  change: z.enum(['server', 'sandbox', 'trustedOutput', 'domain', 'folder', 'readFolder', 'readHome', 'sshAgent']),
  /** The domain or folder. */
  value: z.string().optional(),
  /** Found at a start: made while no Portcullis ran. */
  whileClosed: z.boolean(),
});

export type GrantChange = z.infer<typeof GrantChangeSchema>;
