import type { DirectCallOutcome } from '../../shared/domain/direct-call';
import { nearestToolName, toolOfOwnName } from './nearest-tool-name';

/**
 * What a call of a name no tool has is answered: the tool it most likely meant, then every name there is. One
 * wording for the gateway and for `portcullis tools call`, which answers an unknown name before recording anything.
 */
export function unknownToolMessage(name: string, known: readonly string[]): string {
  const meant = nearestToolName(name, known) ?? toolOfOwnName(name, known);
  return `There is no tool named "${name}".${meant ? ` Did you mean ${meant}?` : ''} Available tools: ${known.join(', ')}.`;
}

/**
 * The outcome of a direct call (`tools.call`, an MCP client's tools/call, `portcullis tools call`) of a name no tool
 * has, answered before the call is made: no conversation, trace or call row to point at, so a typo leaves nothing behind.
 */
export function unknownToolOutcome(name: string, known: readonly string[]): DirectCallOutcome {
  return { outcome: 'error', tool: name, status: 'failed', decision: null, approval: null, error: { code: 'TOOL_NOT_FOUND', message: unknownToolMessage(name, known) } };
}

/**
 * A call of a name no tool has, as its outcome is told to a credential that may call only some tools (a key's or a
 * JWT's list, `memory.*` kept from a `tools` key): the tools it may call are named, as tools/list lists it only
 * those; the rest of the catalog (other servers' tools, the person's memory) is not its to learn. Any other outcome
 * is as it was; so is the call's record, which the person reads.
 */
export function unknownToolOutcomeFor<T extends { tool: string; error: { code: string; message: string } | null }>(outcome: T, asked: string, mayCall: readonly string[]): T {
  if (outcome.error?.code !== 'TOOL_NOT_FOUND' || !outcome.error.message.startsWith('There is no tool named "')) return outcome;
  // `outcome.tool` is the name as the answer may show it (a secret in it masked); the nearest is found by what was asked.
  const meant = nearestToolName(asked, mayCall);
  const message = `There is no tool named "${outcome.tool}".${meant ? ` Did you mean ${meant}?` : ''} Available tools: ${mayCall.join(', ') || 'none'}.`;
  return { ...outcome, error: { ...outcome.error, message } };
}
