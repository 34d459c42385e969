import type { ApprovalRequest } from '../../../shared/domain/approval';

/**
 * What the longer allowance of a request covers, as its button says it. In a caller's conversation of the day (an MCP
 * client's, a key's) it holds for every call that caller makes today, from any of its sessions (Claude Code opens
 * one per launch): "Allow for this conversation" would read as this session only.
 */
export function allowanceButtonWords(request: Pick<ApprovalRequest, 'callerOfTheDay'>): string {
  return request.callerOfTheDay === undefined ? 'Allow for this conversation' : `Allow for ${request.callerOfTheDay} today`;
}

/** Said under the choices when the allowance reaches past this call's session: what it lets run unasked, and until when. */
export function allowanceReach(request: Pick<ApprovalRequest, 'callerOfTheDay' | 'toolName'>): string | null {
  if (request.callerOfTheDay === undefined) return null;
  return `"Allow for ${request.callerOfTheDay} today" lets its later ${request.toolName} calls run unasked until midnight, from any of its sessions (they share this conversation).`;
}
