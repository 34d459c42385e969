import { z } from 'zod';

/**
 * Something the running Portcullis says to every page until it is restarted: its data folder removed (or replaced)
 * under it, when nothing it saves would be kept; or mcp.json or http-fetch.json changed to grant more while it was
 * not running, found at its start.
 */
export const RuntimeNoticeSchema = z.object({
  kind: z.enum(['data-folder-gone', 'grants-widened-while-closed']),
  message: z.string(),
});

export type RuntimeNotice = z.infer<typeof RuntimeNoticeSchema>;
