import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

const HttpFetchFileSchema = z.object({
  allowedDomains: z.array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/i, 'a domain like example.com or *.example.com')).default([]),
  maxBytes: z.number().int().positive().max(50 * 1024 * 1024).optional(),
  timeoutMs: z.number().int().positive().max(300_000).optional(),
});
export type HttpFetchFile = z.infer<typeof HttpFetchFileSchema>;

/** Reads `<dataDir>/http-fetch.json`. Missing means no domain is allowed; a broken file is reported, never thrown. */
export function loadHttpFetchConfig(file: string): { config: HttpFetchFile; problem: string | null } {
  const none = { allowedDomains: [] };
  if (!existsSync(file)) return { config: none, problem: null };
  try {
    const parsed = HttpFetchFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return { config: parsed.data, problem: null };
    return { config: none, problem: `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}; http.fetch allows no domain until it is fixed.` };
  } catch (error) {
    return { config: none, problem: `${file} is not valid JSON (${(error as Error).message}); http.fetch allows no domain until it is fixed.` };
  }
}
