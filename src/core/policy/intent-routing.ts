import { toolGlobList } from '../tools/tool-glob-list';
import type { IntentPolicy } from '../../shared/domain/policy';

export type RoutingDecision =
  | { action: 'run'; tools: string[]; reason: string }
  | { action: 'ask' | 'no-tools'; tools: string[]; reason: string };

/**
 * Which tools the model is offered for a turn, from the router's intent and confidence: the intent's allowlist
 * limits the tools; below its threshold the turn asks the person, or runs with no tools. An intent the policy
 * does not name gets every tool (the per-call policy still governs each call).
 */
export function routeTools(intents: Readonly<Record<string, IntentPolicy>>, intent: string | undefined, confidence: number | undefined, tools: readonly string[]): RoutingDecision {
  const policy = intent === undefined ? undefined : intents[intent];
  if (!policy) return { action: 'run', tools: [...tools], reason: intent === undefined ? 'No intent was given, so every tool is offered.' : `The policy names no intent "${intent}", so every tool is offered.` };
  const offered = policy.tools ? toolGlobList(policy.tools) : null; // a `!glob` takes tools out of those the others name
  const allowed = offered ? tools.filter((name) => offered(name) !== null) : [...tools];
  const sure = typeof confidence === 'number' && !Number.isNaN(confidence) ? confidence : 0;
  if (sure < policy.minConfidence) {
    const why = `The router is ${Math.round(sure * 100)}% sure this is "${intent}", below the policy's ${Math.round(policy.minConfidence * 100)}%`;
    return policy.belowThreshold === 'no-tools'
      ? { action: 'no-tools', tools: [], reason: `${why}, so the turn runs without tools.` }
      : { action: 'ask', tools: allowed, reason: `${why}, so it asks you before going ahead.` };
  }
  return { action: 'run', tools: allowed, reason: `Intent "${intent}" offers ${allowed.length} of ${tools.length} tools.` };
}
