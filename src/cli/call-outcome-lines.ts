import type { PolicyDecision } from '../shared/domain/tool-call';

/**
 * What `tools call` prints without --json: the decision and how the call ended, then, for a call that asked or was
 * refused and did not run, why the policy decided so (its reason and rule: "asks you even though user.fs.write.…
 * would allow it", for a conversation that read untrusted content), which --json alone said; its result; its trace.
 */
export function callOutcomeLines(outcome: {
  tool: string;
  decision: PolicyDecision | null | undefined;
  status: string;
  error?: { message: string } | null | undefined;
  result?: unknown;
}): string[] {
  const { tool, decision, status, error, result } = outcome;
  const lines = [`[${tool}] ${decision?.effect ?? 'not judged'} → ${status}${error ? `: ${error.message}` : ''}`];
  if (decision && decision.effect !== 'allow' && status !== 'succeeded') lines.push(`  why it ${decision.effect === 'ask' ? 'asked' : 'was refused'}: ${decision.reason} (rule ${decision.ruleId})`);
  if (result !== undefined) lines.push(JSON.stringify(result, null, 2));
  return lines;
}
