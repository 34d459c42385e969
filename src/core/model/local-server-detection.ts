import { readJsonUpTo } from './bounded-json';

/** The OpenAI-compatible servers people run locally, on their usual ports. */
export const knownLocalServers = [
  { kind: 'ollama', name: 'Ollama', port: 11434 },
  { kind: 'llama.cpp', name: 'llama.cpp server', port: 8080 },
  { kind: 'lm-studio', name: 'LM Studio', port: 1234 },
  { kind: 'vllm', name: 'vLLM', port: 8000 },
] as const;

export interface DetectedServer {
  kind: string;
  name: string;
  baseUrl: string;
  models: string[];
}

/**
 * Probes each known port with GET /v1/models and a short timeout, all at once. A server counts only when it
 * answers with an OpenAI-style model list; anything else on the port is ignored.
 */
export async function detectLocalServers(
  options: { host?: string; timeoutMs?: number; servers?: readonly { kind: string; name: string; port: number }[] } = {},
): Promise<DetectedServer[]> {
  const host = options.host ?? '127.0.0.1';
  const found = await Promise.all(
    (options.servers ?? knownLocalServers).map(async (server): Promise<DetectedServer | null> => {
      const baseUrl = `http://${host}:${server.port}/v1`;
      const models = await listModels(baseUrl, options.timeoutMs ?? 400);
      return models ? { kind: server.kind, name: server.name, baseUrl, models: models.filter(isChatModel) } : null;
    }),
  );
  return found.filter((server): server is DetectedServer => server !== null);
}

/**
 * Whether a listed model can be chatted with: LM Studio and Ollama list their embedding models beside the chat
 * ones (text-embedding-nomic-embed-text-v1.5, nomic-embed-text), and one picked fails its Test with no word why.
 */
export function isChatModel(id: string): boolean {
  return !/embed/i.test(id);
}

/** The ids of /v1/models, or null when nothing OpenAI-compatible answers in time. */
export async function listModels(baseUrl: string, timeoutMs = 2_000): Promise<string[] | null> {
  try {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const data = ((await readJsonUpTo(response)) as { data?: { id?: unknown }[] } | null)?.data;
    if (!Array.isArray(data)) return null;
    return data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return null;
  }
}
