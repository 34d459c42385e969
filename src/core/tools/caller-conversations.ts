import { z } from 'zod';
import type { Principal } from '../auth/scopes';
import type { Clock } from '../clock';
import type { SettingsStore } from '../storage/stores/settings-store';
import { plainName } from './direct-callers';
import { TERMINAL_AUTHOR, type DirectCaller } from './direct-tool-call';

const SETTINGS_KEY = 'directCalls.conversationByCaller';

/** Each caller's conversation of the day it was made (its local date, `2026-11-25`). */
const ByCallerSchema = z.record(z.string(), z.object({ conversationId: z.string(), day: z.string() }));
type ByCaller = z.infer<typeof ByCallerSchema>;

/** "2026-11-25": the day in this computer's time zone, which a script's calls of that day share. */
function localDay(at: number): string {
  const day = new Date(at);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

/** "25 Nov": the day as a conversation's title says it. */
function shownDay(at: number): string {
  return new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

/**
 * "claude-code" of "claude-code · MCP, key "laptop"", "nightly backup" of "nightly backup · API key": the caller's
 * name without what kind of caller it is (always after the last " · "), for "Allow for claude-code today".
 */
function ownName(callerName: string): string {
  const kind = callerName.lastIndexOf(' · ');
  return kind > 0 ? callerName.slice(0, kind) : callerName;
}

/**
 * Who a direct call's caller is, for its conversation: the credential (a key's id, a JWT's subject), never the
 * credential itself; the terminal is one caller, in its own process or through the running app.
 */
export function directCallerKey(principal: Principal | undefined, caller: DirectCaller): string {
  return principal === undefined || caller.author === TERMINAL_AUTHOR ? 'terminal' : `${principal.kind}:${principal.id}`;
}

/**
 * Who an MCP client is, for its conversation: its key (or JWT) and the name it introduces itself by, so one client's
 * sessions of a day (Claude Code opens one per launch) share a row, and two clients on one key do not.
 */
export function mcpCallerKey(principal: Principal, client: string | undefined): string {
  // As a list, not joined with ':': a JWT's subject holds ':' as a client's name may (subject "a", client "b:c" was
  // subject "a:b", client "c", and joined its conversation and the allowances made in it).
  return `mcp:${JSON.stringify([principal.kind, principal.id, plainName(client ?? '')])}`;
}

/**
 * Where a script's direct calls (the local API's tools.call, `portcullis tools call`, an MCP client's) are recorded:
 * one conversation per caller (a key, a JWT subject, the terminal, an MCP client with its key) and day, titled by the
 * caller ("backup · API key · 25 Nov"), so 30 calls of a script are one row in the sidebar, risen to the top by its
 * latest call, not 30 rows burying the person's chats. Its calls then share their conversation: the taint one brings and an
 * "Allow for this conversation" hold for the caller's later calls that day. Kept in the settings, so the terminal's
 * calls, each its own process, find it too; a deleted conversation (by the person, retention) is made anew.
 */
export class CallerConversations {
  constructor(private readonly settings: SettingsStore, private readonly clock: Clock) {}

  /** The caller's words, to its conversation of today when it says who it is (`callerKey`); else as they are. */
  ofTheDay(caller: DirectCaller): DirectCaller {
    return caller.callerKey === undefined ? caller : this.shared(caller.callerKey, caller);
  }

  /** The caller's words, its calls recorded in its conversation of today. `callerKey`: who it is, never its credential. */
  shared(callerKey: string, caller: DirectCaller): DirectCaller {
    const now = this.clock.now();
    const day = localDay(now);
    // Read here and written in onConversation with no await between on the way (callGoverned → callToolDirectly
    // makes the conversation before its first await): a caller's parallel first calls of the day share one.
    const kept = this.byCaller()[callerKey];
    const name = caller.callerName ?? caller.author;
    return {
      ...caller,
      // Its own name first ("backup · API key · 25 Nov"): the sidebar cuts a long title at its end.
      title: `${name} · ${shownDay(now)}`,
      callerOfTheDay: ownName(name),
      ...(kept?.day === day ? { conversationId: kept.conversationId } : {}),
      sharesConversation: true,
      onConversation: (conversationId) => {
        if (kept?.day !== day || kept.conversationId !== conversationId) this.remember(callerKey, { conversationId, day }, now);
        caller.onConversation?.(conversationId);
      },
    };
  }

  private byCaller(): ByCaller {
    return this.settings.get(SETTINGS_KEY, ByCallerSchema, {});
  }

  /** Written down, the other callers' conversations of earlier days let go: only today's are looked for. */
  private remember(callerKey: string, kept: ByCaller[string], now: number): void {
    const today = Object.fromEntries(Object.entries(this.byCaller()).filter(([, entry]) => entry.day === kept.day));
    this.settings.set(SETTINGS_KEY, ByCallerSchema, { ...today, [callerKey]: kept }, now);
  }
}
