import type { ModelToolSpec } from '../model/model-provider';
import { estimateTokens } from './turn-budget';

/**
 * At most this share of a known context goes to the tools' definitions; the rest is for the instructions, the
 * history and the reply. Two common MCP servers' 34 tools take ~4,000 tokens: all of Ollama's default context.
 */
const TOOL_SHARE = 0.3;
/** A description cut to fit keeps its first sentence, at most this long. */
const SHORT_DESCRIPTION = 160;

/** What a request asks for: the route's tools come first, then the tools whose words it uses. */
export interface ToolPreference {
  request: string;
  routeTools: readonly string[];
}

export interface FittedTools {
  tools: ModelToolSpec[];
  /** Tools not offered this step, for want of room: named in the model span and on the context meter. */
  leftOut: string[];
  /** Whether descriptions were cut to their first sentence to make room. */
  shortened: boolean;
}

/**
 * The tools a model with a small context is offered: all of them when their definitions fit its share of the
 * context; else with their descriptions cut to a first sentence; else, of those, the ones the request most likely
 * needs (the route's, then by the words it shares with each tool's name and description), as many as fit. A model
 * whose context is unknown gets them all, as before. Leaving tools out beats a prompt the server cuts from its
 * start (Ollama) or refuses (llama.cpp): then the model reads neither the instructions nor the request.
 */
export function fitToolsToContext(tools: readonly ModelToolSpec[], contextTokens: number | null, preference: ToolPreference): FittedTools {
  const all = { tools: [...tools], leftOut: [], shortened: false };
  if (contextTokens === null || tools.length === 0) return all;
  const budget = Math.floor(contextTokens * TOOL_SHARE);
  if (definitionTokens(tools) <= budget) return all;
  const short = tools.map(shortened);
  if (definitionTokens(short) <= budget) return { tools: short, leftOut: [], shortened: true };
  const ranked = rank(short, preference);
  const kept = new Set<string>();
  let used = 2; // the list's brackets
  for (const tool of ranked) {
    const cost = definitionTokens([tool]);
    if (used + cost > budget) continue;
    kept.add(tool.name);
    used += cost;
  }
  // In the order they were registered, so a model sees the same order from step to step.
  return { tools: short.filter((tool) => kept.has(tool.name)), leftOut: short.filter((tool) => !kept.has(tool.name)).map((tool) => tool.name), shortened: true };
}

function definitionTokens(tools: readonly ModelToolSpec[]): number {
  return estimateTokens(JSON.stringify(tools));
}

function shortened(tool: ModelToolSpec): ModelToolSpec {
  const first = /^[\s\S]*?[.!?](?=\s|$)/.exec(tool.description.trim())?.[0] ?? tool.description.trim();
  const description = first.length > SHORT_DESCRIPTION ? `${first.slice(0, SHORT_DESCRIPTION - 1)}…` : first;
  return { ...tool, description };
}

const words = (text: string): Set<string> => new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 2));

/** The route's tools first, then by how many of the request's words each tool's name and description use. */
function rank(tools: readonly ModelToolSpec[], preference: ToolPreference): ModelToolSpec[] {
  const asked = words(preference.request);
  const routed = new Set(preference.routeTools);
  const score = (tool: ModelToolSpec): number => {
    let shared = 0;
    for (const word of words(`${tool.name} ${tool.description}`)) if (asked.has(word)) shared++;
    return (routed.has(tool.name) ? 1_000 : 0) + shared;
  };
  return tools
    .map((tool, order) => ({ tool, order, score: score(tool) }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ tool }) => tool);
}
