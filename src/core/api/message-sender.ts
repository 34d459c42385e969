import { callerLabel } from '../auth/caller-label';
import type { Principal } from '../auth/scopes';
import { TERMINAL_AUTHOR } from '../tools/direct-tool-call';

/**
 * Who sent a `chat.send` message, when not the person from a page of theirs: its message and its turn's approvals
 * name it as a direct call of the same caller's would ("Terminal", "Local API (key "nightly")"), so the person does
 * not approve a write believing they asked for it. Undefined for the desktop window and the browser session.
 */
export function messageSender(principal: Principal | undefined, keyName: (id: string) => string | undefined): string | undefined {
  if (!principal || principal.kind === 'desktop' || principal.kind === 'session') return undefined;
  return principal.kind === 'terminal' ? TERMINAL_AUTHOR : `Local API (${callerLabel(principal, keyName)})`;
}
