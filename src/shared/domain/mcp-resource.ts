import { z } from 'zod';

/**
 * A resource an MCP server offers (MCP's `resources`): a document the person can pick from the composer's `/` list
 * to put in a message, read and send as their own. Its server's words, cleaned.
 */
export const McpResourceSchema = z.object({
  server: z.string(),
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export type McpResource = z.infer<typeof McpResourceSchema>;

export const McpResourceListSchema = z.object({
  resources: z.array(McpResourceSchema),
  /** Servers that could not say theirs just now, and why. */
  problems: z.array(z.string()),
});
export type McpResourceList = z.infer<typeof McpResourceListSchema>;

/** Which resource: its server and its URI. */
export const ResourceRefSchema = z.object({ server: z.string().min(1).max(64), uri: z.string().min(1).max(4_096) });
