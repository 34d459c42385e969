import type { ContextWindow } from '../../shared/domain/model-settings';
import { readJsonUpTo } from './bounded-json';

export type { ContextWindow } from '../../shared/domain/model-settings';

/**
 * Ollama's context when a model is loaded without `num_ctx`. Ollama cuts a longer prompt from its start without
 * an error, so the system prompt and the oldest turns vanish silently: assume the small default, not the model's
 * maximum, until /api/ps says what was loaded.
 */
export const OLLAMA_DEFAULT_CONTEXT = 4_096;

type Probe = (root: string, baseUrl: string, model: string, signal: AbortSignal) => Promise<ContextWindow | null>;

/**
 * Asks a local OpenAI-compatible server how large the model's context is, through the server's own API: the
 * OpenAI-compatible one does not say. Each kind is asked at once and the first answer in this order counts;
 * a server that is not of that kind answers 404, or JSON of another shape, and is ignored.
 */
export async function detectContextWindow(baseUrl: string, model: string, options: { timeoutMs?: number } = {}): Promise<ContextWindow | null> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 1_500);
  const root = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  const answers = await Promise.all(probes.map((probe) => probe(root, baseUrl, model, signal).catch(() => null)));
  return answers.find((answer) => answer !== null) ?? null;
}

/** LM Studio ≥ 0.4: the loaded instance's context; a model not loaded yet is loaded with the app's default. */
const lmStudio: Probe = async (root, _baseUrl, model, signal) => {
  const body = await getJson(`${root}/api/v1/models`, signal);
  const entry = list(field(body, 'models')).find((m) => field(m, 'key') === model);
  const loaded = positive(field(field(list(field(entry, 'loaded_instances'))[0], 'config'), 'context_length'));
  return loaded ? { tokens: loaded, source: 'LM Studio, the loaded model' } : null;
};

/**
 * LM Studio 0.3 (its REST API v0, before /api/v1): a loaded model's `loaded_context_length`. Not its
 * `max_context_length`, the model's maximum: LM Studio loads with a smaller default unless told otherwise.
 */
const lmStudioV0: Probe = async (root, _baseUrl, model, signal) => {
  const entry = list(field(await getJson(`${root}/api/v0/models`, signal), 'data')).find((m) => field(m, 'id') === model);
  const loaded = field(entry, 'state') === 'loaded' ? positive(field(entry, 'loaded_context_length')) : null;
  return loaded ? { tokens: loaded, source: 'LM Studio, the loaded model' } : null;
};

/** Ollama: the loaded model's context (/api/ps); otherwise its Modelfile's num_ctx, or Ollama's default. */
const ollama: Probe = async (root, _baseUrl, model, signal) => {
  const names = model.includes(':') ? [model] : [model, `${model}:latest`];
  const running = list(field(await getJson(`${root}/api/ps`, signal), 'models')).find((m) => names.includes(String(field(m, 'name'))));
  const loaded = positive(field(running, 'context_length'));
  if (loaded) return { tokens: loaded, source: 'Ollama, the loaded model' };
  const shown = await getJson(`${root}/api/show`, signal, { model });
  const numCtx = /^num_ctx\s+(\d+)/m.exec(String(field(shown, 'parameters') ?? ''))?.[1];
  if (numCtx) return { tokens: Number(numCtx), source: "Ollama, the model's num_ctx" };
  const info = field(shown, 'model_info');
  const trained = positive(field(info, `${String(field(info, 'general.architecture'))}.context_length`));
  if (!trained) return null;
  return { tokens: Math.min(trained, OLLAMA_DEFAULT_CONTEXT), source: "Ollama's default context, until the model is loaded" };
};

/** llama.cpp's llama-server: the context of one slot. */
const llamaCpp: Probe = async (root, _baseUrl, _model, signal) => {
  const tokens = positive(field(field(await getJson(`${root}/props`, signal), 'default_generation_settings'), 'n_ctx'));
  return tokens ? { tokens, source: 'llama.cpp server' } : null;
};

/** vLLM lists each model's max_model_len in its OpenAI-compatible model list; OpenRouter and others, context_length. */
const modelList: Probe = async (_root, baseUrl, model, signal) => {
  const entry = list(field(await getJson(`${baseUrl.replace(/\/+$/, '')}/models`, signal), 'data')).find((m) => field(m, 'id') === model);
  const vllm = positive(field(entry, 'max_model_len'));
  if (vllm) return { tokens: vllm, source: 'vLLM' };
  const listed = positive(field(entry, 'context_length'));
  return listed ? { tokens: listed, source: "the server's model list" } : null;
};

// llama.cpp first: its server imitates parts of Ollama's API (/api/show, for editors), never the reverse.
const probes: Probe[] = [llamaCpp, lmStudio, lmStudioV0, ollama, modelList];

/**
 * The context a model's turns are fitted to: the person's figure when set, otherwise the server's, asked again
 * after `ttlMs` (a person may reload the model with another context) and at most once at a time.
 */
export function contextWindowOf(baseUrl: string, model: string, setTokens: number | undefined, ttlMs = 30_000, now = Date.now): () => Promise<ContextWindow | null> {
  if (setTokens !== undefined) {
    const set = { tokens: setTokens, source: 'set in Settings' };
    return () => Promise.resolve(set);
  }
  let cached: { at: number; window: Promise<ContextWindow | null> } | null = null;
  return () => {
    if (!cached || now() - cached.at > ttlMs) cached = { at: now(), window: detectContextWindow(baseUrl, model) };
    return cached.window;
  };
}

async function getJson(url: string, signal: AbortSignal, post?: unknown): Promise<unknown> {
  const response = await fetch(url, post === undefined ? { signal } : { signal, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(post) });
  if (!response.ok) return null;
  return readJsonUpTo(response);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}
