import type { AuditEntry } from '../audit/audit-log';
import type { RuntimeNotice } from '../../shared/domain/runtime-notice';
import { spellOutInvisible } from '../../shared/shown-path';

/** How many grants the notice names before it counts the rest: the audit log has them all. */
const NAMED = 5;

/** A grant found at start in words: to whom, what it lets them do, and to what; null for one taken back. */
interface GrantWords {
  who: string;
  does: string;
  what: string | null;
}

function grantInWords(entry: AuditEntry): GrantWords | null {
  if (entry.kind !== 'sandbox.granted') return null;
  const data = entry.data as { server?: string; tool?: string; added?: boolean; domain?: string; folder?: string; readFolder?: string; readHome?: boolean; sshAgent?: boolean; sandbox?: boolean; trustedOutput?: boolean };
  // Names and folders are as the file wrote them, maybe by a program behind the person's back: a control character
  // (an escape that clears the terminal's line) or a bidirectional override would make the notice hide or misname.
  const who = data.server !== undefined ? `the server "${spellOutInvisible(data.server)}"` : spellOutInvisible(data.tool ?? 'a tool');
  if (data.added) return { who, does: 'was added', what: null };
  if (data.sandbox === false) return { who, does: 'runs without its sandbox', what: null };
  if (data.trustedOutput) return { who, does: 'has its output counted as trusted', what: null };
  if (data.domain) return { who, does: 'may reach', what: spellOutInvisible(data.domain) };
  if (data.folder) return { who, does: 'may write to', what: spellOutInvisible(data.folder) };
  if (data.readFolder) return { who, does: 'may read', what: spellOutInvisible(data.readFolder) };
  if (data.readHome) return { who, does: 'may read your whole home folder', what: null };
  if (data.sshAgent) return { who, does: 'may use your SSH agent', what: null };
  return null;
}

/**
 * The grants as one phrase per server, in the order first seen, each kind of grant said once
 * ("the server "notes" was added and may write to /home/me/notes").
 */
function phrases(grants: readonly GrantWords[]): string[] {
  const byWho = new Map<string, Map<string, string[]>>();
  for (const { who, does, what } of grants) {
    const its = byWho.get(who) ?? new Map<string, string[]>();
    its.set(does, [...(its.get(does) ?? []), ...(what ? [what] : [])]);
    byWho.set(who, its);
  }
  return [...byWho].map(([who, its]) => `${who} ${inWords([...its].map(([does, whats]) => (whats.length > 0 ? `${does} ${inWords(whats)}` : does)))}`);
}

function inWords(phrases: readonly string[]): string {
  return phrases.length < 2 ? (phrases[0] ?? '') : `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/**
 * What the person is told when a grant file was changed to grant more while no Portcullis ran (the person with the
 * app closed, or a program behind their back): what it grants now, where to undo it, and that it is on the audit
 * chain. Null when nothing was granted (a grant taken back while closed is recorded, not announced).
 */
export function grantsWidenedNotice(changed: ReadonlyArray<{ file: string; entries: readonly AuditEntry[] }>): RuntimeNotice | null {
  let named = 0;
  let more = 0;
  const files: string[] = [];
  for (const { file, entries } of changed) {
    const grants = entries.map(grantInWords).filter((words): words is GrantWords => words !== null);
    if (grants.length === 0) continue;
    const shown = grants.slice(0, Math.max(0, NAMED - named));
    named += shown.length;
    more += grants.length - shown.length;
    files.push(shown.length > 0 ? `${file} was changed: ${inWords(phrases(shown))}` : `${file} was changed`);
  }
  if (files.length === 0) return null;
  const rest = more > 0 ? ` (and ${more} more grant${more === 1 ? '' : 's'})` : '';
  const one = named + more === 1;
  return {
    kind: 'grants-widened-while-closed',
    message: `While Portcullis was not running, ${files.join('; ')}${rest}. If you did not make ${one ? 'this change' : 'these changes'}, undo ${one ? 'it' : 'them'} on Tools & servers. ${one ? 'It is' : 'Each is'} in the audit log: Tools & servers → Grant history, or "portcullis audit list sandbox".`,
  };
}
