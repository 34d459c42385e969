import { hash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Redactor } from '../redaction/redactor';
import { INDEXED_KINDS, indexHolds, indexHoldsPrefix } from './indexed-kinds';
import { contentDigest, declaredMasks, MASKED_KIND, type MaskedEntry } from './masked-entries';
import { declaredLosses, SALVAGED_KIND } from './salvaged-entries';

export type AuditKind = 'policy.decision' | 'approval.requested' | 'approval.decided' | 'approval.edited' | 'rule.created' | 'rule.revoked' | 'taint.added' | 'policy.loaded' | 'retention.cut' | 'retention.delete_everything' | 'conversation.deleted' | 'workspace.changed' | 'elicitation.answered' | 'sandbox.granted' | 'sandbox.revoked' | 'tool.definition_approved' | 'tool.definition_rejected' | 'api_key.created' | 'api_key.updated' | 'api_key.revoked' | 'direct_call.made' | 'direct_call.refused' | typeof MASKED_KIND | typeof SALVAGED_KIND;

export interface AuditEntry {
  kind: AuditKind;
  conversationId?: string | null;
  toolCallId?: string | null;
  data: unknown;
}

interface Row {
  seq: number;
  at: number;
  kind: string;
  conversation_id: string | null;
  tool_call_id: string | null;
  data_json: string;
  prev_hash: string;
  hash: string;
}

export type AuditVerification =
  /** `masked`: entries a secrets scrub masked after they were chained, each declared by a later entry. */
  | { ok: true; entries: number; head: string; masked: number }
  /** `lost`: the only problem is entries a salvage of a damaged database declared lost (each range, and the entry that says so). */
  | { ok: false; entries: number; seq: number; problem: string; lost?: LostEntries[] };

/** Entries a salvage declared lost; `through` null: the log's end was lost, and how many entries it held is unknown. */
export interface LostEntries {
  from: number;
  through: number | null;
  declaredBy: number;
  at: number;
}

const GENESIS = '0'.repeat(64);

/** One-shot `hash` rather than a `createHash` object per entry: an entry is written on every decision. */
function entryHash(row: Omit<Row, 'hash'>): string {
  return hash('sha256', JSON.stringify([row.prev_hash, row.seq, row.at, row.kind, row.conversation_id, row.tool_call_id, row.data_json]), 'hex');
}

/**
 * Every governance decision, appended as a hash chain: each entry's hash covers its content and the previous
 * hash, and sequence numbers are contiguous, so an edited or deleted entry breaks the chain at a known place.
 */
export class AuditLog {
  private readonly headStatement: Statement<[], { seq: number; hash: string }>;
  private readonly insertStatement: Statement;
  private readonly allStatement: Statement<[], Row>;
  /** By kind: read from the index by kind (`INDEXED_KINDS`), or, for policy decisions, which it leaves out, without. */
  private readonly newestStatement: { indexed: Statement<[string, number], Row>; all: Statement<[string, number], Row> };
  private readonly kindRangeStatement: { indexed: Statement<[string, string], Row>; all: Statement<[string, string], Row> };
  private readonly latestStatement: Statement<[number], Row>;
  private readonly anchorStatement: Statement<[], { seq: number; hash: string }>;
  private readonly setAnchorStatement: Statement;
  private readonly append: (entry: AuditEntry, at: number) => number;
  private readonly maskEntries: (seqs: readonly number[], mask: (dataJson: string) => string | null, at: number) => number;

  /**
   * `isPrivate`: entries about a private conversation keep only their kind and time, so nothing of it reaches disk.
   * `redactor`: masks secrets in an entry before it is hashed, as every other store does before it writes. An entry
   * can hold words a person or a server wrote (a deny's note, an "Always allow" rule's arguments, a resource's URI
   * in a taint source), and an entry is never rewritten afterwards (a secret known only later stays; see
   * `KEPT_TABLES`).
   */
  constructor(
    private readonly db: Database,
    private readonly isPrivate: (conversationId: string) => boolean = () => false,
    private readonly redactor?: Redactor,
  ) {
    this.headStatement = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertStatement = db.prepare(
      'INSERT INTO audit_log (seq, at, kind, conversation_id, tool_call_id, data_json, prev_hash, hash) VALUES (@seq, @at, @kind, @conversation_id, @tool_call_id, @data_json, @prev_hash, @hash)',
    );
    this.allStatement = db.prepare('SELECT * FROM audit_log ORDER BY seq');
    const newest = (where: string) => db.prepare<[string, number], Row>(`SELECT * FROM audit_log WHERE kind IN (SELECT value FROM json_each(?))${where} ORDER BY seq DESC LIMIT ?`);
    this.newestStatement = { indexed: newest(` AND ${INDEXED_KINDS}`), all: newest('') };
    // A range of the kind index, not `LIKE 'x%'`, which SQLite would not look up in it.
    const range = (where: string) => db.prepare<[string, string], Row>(`SELECT * FROM audit_log WHERE kind >= ? AND kind < ?${where} ORDER BY seq`);
    this.kindRangeStatement = { indexed: range(` AND ${INDEXED_KINDS}`), all: range('') };
    this.latestStatement = db.prepare('SELECT * FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?) ORDER BY seq');
    this.anchorStatement = db.prepare('SELECT seq, hash FROM audit_anchor WHERE id = 1');
    this.setAnchorStatement = db.prepare('INSERT INTO audit_anchor (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT(id) DO UPDATE SET seq = @seq, hash = @hash');
    const append = db.transaction((entry: AuditEntry, at: number) => {
      const head = this.headStatement.get();
      const row = {
        seq: (head?.seq ?? 0) + 1,
        at,
        kind: entry.kind,
        conversation_id: entry.conversationId ?? null,
        tool_call_id: entry.toolCallId ?? null,
        data_json: JSON.stringify(this.redactor ? this.redactor.redactValue(entry.data ?? null) : (entry.data ?? null)),
        prev_hash: head?.hash ?? GENESIS,
      };
      return this.chain(row);
    });
    // IMMEDIATE: it reads the head before it writes; another connection (a `portcullis` command, a checkpoint) may
    // write in between, and a deferred transaction could then not upgrade to a write (SQLITE_BUSY). docs/storage.md.
    this.append = (entry, at) => append.immediate(entry, at);

    const readEntry = db.prepare<[number], Pick<Row, 'seq' | 'kind' | 'data_json' | 'hash'>>('SELECT seq, kind, data_json, hash FROM audit_log WHERE seq = ?');
    const setData = db.prepare('UPDATE audit_log SET data_json = ? WHERE seq = ?');
    const maskEntries = db.transaction((seqs: readonly number[], mask: (dataJson: string) => string | null, at: number) => {
      const masked: MaskedEntry[] = [];
      for (const seq of seqs) {
        const row = readEntry.get(seq);
        // A declaration is never masked: it holds hashes only, and one masked could hide what it declared.
        if (!row || row.kind === MASKED_KIND) continue;
        const data = mask(row.data_json);
        if (data === null || data === row.data_json) continue;
        setData.run(data, seq);
        masked.push({ seq, hash: row.hash, digest: contentDigest(data) });
      }
      if (masked.length > 0) append({ kind: MASKED_KIND, data: { entries: masked } }, at);
      return masked.length;
    });
    this.maskEntries = (seqs, mask, at) => maskEntries.immediate(seqs, mask, at);
  }

  /**
   * Masks a secret's value in entries chained before it was known as a secret, and declares them, in the same
   * transaction, by an entry appended to the chain (`audit.masked`: each one's sequence number, hash and the
   * digest of its masked content). Their hashes stay as chained, so the chain still commits to what they said
   * (a copy of an entry taken earlier still checks against it); `verify` accepts a masked entry only as declared,
   * and says how many there are. Returns how many entries changed.
   */
  mask(seqs: readonly number[], mask: (dataJson: string) => string | null, at = Date.now()): number {
    return this.maskEntries(seqs, mask, at);
  }

  record(entry: AuditEntry, at = Date.now()): number {
    if (entry.conversationId && this.isPrivate(entry.conversationId)) {
      return this.append({ kind: entry.kind, conversationId: null, toolCallId: null, data: { private: true } }, at);
    }
    return this.append(entry, at);
  }

  /**
   * `portcullis db salvage`'s entry: what it saved from a damaged database and which entries of this chain were lost
   * (`data.auditEntriesLost`: [from, through] ranges). Appended after the last entry the chain had (the anchor's,
   * when its end was lost), so no number is used twice; `verify` then accepts those gaps, and says so.
   */
  declareSalvage(data: { auditEntriesLost: Array<[number, number]>; auditEndUnknownAfter?: number } & Record<string, unknown>, at = Date.now()): number {
    return this.db.transaction(() => {
      const head = this.headStatement.get();
      const anchor = this.anchorStatement.get();
      const after = anchor && anchor.seq > (head?.seq ?? 0) ? anchor : head;
      const row = { seq: (after?.seq ?? 0) + 1, at, kind: SALVAGED_KIND, conversation_id: null, tool_call_id: null, data_json: JSON.stringify(data), prev_hash: after?.hash ?? GENESIS };
      return this.chain(row);
    }).immediate();
  }

  /** Writes the next entry of the chain, and the anchor with it (inside the caller's transaction): its seq. */
  private chain(row: Omit<Row, 'hash'>): number {
    const digest = entryHash(row);
    this.insertStatement.run({ ...row, hash: digest });
    this.setAnchorStatement.run({ seq: row.seq, hash: digest });
    return row.seq;
  }

  entries(): StoredAuditEntry[] {
    return this.allStatement.all().map(storedEntry);
  }

  /** The newest `limit` entries, oldest first: what `audit list` prints, without reading the whole chain. */
  latest(limit: number): StoredAuditEntry[] {
    return this.latestStatement.all(limit).map(storedEntry);
  }

  /** The entries whose kind starts with `prefix` ("sandbox", "api_key."), oldest first, read from the kind index. */
  entriesOfKind(prefix: string): StoredAuditEntry[] {
    // Every kind that starts with the prefix sorts between it and it followed by the highest character.
    const statement = indexHoldsPrefix(prefix) ? this.kindRangeStatement.indexed : this.kindRangeStatement.all;
    return statement.all(prefix, `${prefix}\u{10FFFF}`).map(storedEntry);
  }

  /** The newest `limit` entries of these kinds, the newest first (what a page lists, without reading the whole chain). */
  newest(kinds: readonly AuditKind[], limit: number): Array<{ seq: number; at: number; kind: string; data: unknown }> {
    const statement = indexHolds(kinds) ? this.newestStatement.indexed : this.newestStatement.all;
    return statement.all(JSON.stringify(kinds), limit).map((row) => ({ seq: row.seq, at: row.at, kind: row.kind, data: JSON.parse(row.data_json) as unknown }));
  }

  /**
   * Walks the chain from the start and reports the first entry that was edited, or the gap a deletion left. In one
   * read transaction: the masks, the entries and the anchor are one snapshot, so an entry another process appends
   * meanwhile (the running app, beside `portcullis audit verify`) is not taken for one deleted from the end.
   */
  verify(): AuditVerification {
    return this.db.transaction(() => this.walkChain())();
  }

  private walkChain(): AuditVerification {
    let expectedSeq = 1;
    let prev = GENESIS;
    let count = 0;
    let masked = 0;
    const masks = declaredMasks(this.db);
    const losses = declaredLosses(this.db);
    const lost: LostEntries[] = [];
    for (const row of this.allStatement.iterate()) {
      count++;
      // A gap a later salvage declared: what came before it cannot vouch for what comes after, so the walk takes up
      // again from the entry after it.
      const loss = row.seq > expectedSeq ? losses.find((l) => l.through !== null && l.from <= expectedSeq && l.through >= row.seq - 1 && l.by >= row.seq) : undefined;
      if (loss) {
        lost.push({ from: expectedSeq, through: row.seq - 1, declaredBy: loss.by, at: loss.at });
        expectedSeq = row.seq;
        prev = row.prev_hash;
      }
      if (row.seq !== expectedSeq) {
        return { ok: false, entries: count, seq: expectedSeq, problem: `entry ${expectedSeq}${row.seq > expectedSeq + 1 ? `–${row.seq - 1}` : ''} is missing (deleted): the log jumps from ${expectedSeq - 1} to ${row.seq}` };
      }
      if (row.prev_hash !== prev) {
        return { ok: false, entries: count, seq: row.seq, problem: `entry ${row.seq} does not follow entry ${row.seq - 1}: the previous entry was changed or replaced` };
      }
      const { hash, ...rest } = row;
      if (entryHash(rest) !== hash) {
        // Masked by a secrets scrub: declared by a later entry (verified further on in this walk), for this hash.
        const mask = row.kind === MASKED_KIND ? undefined : masks.get(row.seq);
        const declared = mask !== undefined && mask.by > row.seq && mask.hash === hash;
        if (!declared || contentDigest(row.data_json) !== mask.digest) {
          const how = declared ? `was edited after a secrets scrub masked it (entry ${mask.by})` : 'was edited: its content no longer matches its hash';
          return { ok: false, entries: count, seq: row.seq, problem: `entry ${row.seq} (${row.kind}) ${how}` };
        }
        masked++;
      }
      prev = hash;
      expectedSeq++;
    }
    const anchor = this.anchorStatement.get();
    const last = expectedSeq - 1; // the count of entries, unless a salvage declared some lost
    if (anchor && (anchor.seq !== last || anchor.hash !== prev)) {
      return anchor.seq > last
        ? { ok: false, entries: count, seq: last + 1, problem: `entries ${last + 1}–${anchor.seq} are missing (deleted from the end of the log)` }
        : { ok: false, entries: count, seq: anchor.seq, problem: `the log does not end where it was last written (entry ${anchor.seq}): entries were replaced or added by hand` };
    }
    for (const end of losses.filter((l) => l.through === null && l.by <= last)) lost.push({ from: end.from, through: null, declaredBy: end.by, at: end.at });
    if (lost.length > 0) return { ok: false, entries: count, seq: lost[0]!.from, problem: lostProblem(lost), lost };
    return { ok: true, entries: count, head: prev, masked };
  }
}

/** The declared gaps, in words: which entries, why, and what still verifies. */
function lostProblem(lost: readonly LostEntries[]): string {
  const gaps = lost.filter((l) => l.through !== null).map((l) => (l.from === l.through ? `entry ${l.from}` : `entries ${l.from}–${l.through}`));
  const end = lost.find((l) => l.through === null);
  const parts = [
    ...(gaps.length > 0 ? [`${gaps.join(', ')} ${gaps.length === 1 && gaps[0]!.startsWith('entry ') ? 'was' : 'were'} lost with a damaged page of the database`] : []),
    ...(end ? [`any entries after ${end.from - 1} may have been lost${gaps.length > 0 ? ' too' : ' with a damaged page of the database'} (the end of the log, and where it was, could not be read)`] : []),
  ];
  const when = new Date(lost[0]!.at).toISOString().slice(0, 16).replace('T', ' ');
  return `${parts.join('; ')}: \`portcullis db salvage\` on ${when} UTC says so in entry ${lost[0]!.declaredBy}. What they recorded, and whether the entry after a gap followed it, can no longer be checked; every other entry verifies`;
}

/** An entry as stored, its data parsed. */
export interface StoredAuditEntry {
  seq: number;
  at: number;
  kind: string;
  conversationId: string | null;
  toolCallId: string | null;
  data: unknown;
  hash: string;
}

function storedEntry(row: Row): StoredAuditEntry {
  return { seq: row.seq, at: row.at, kind: row.kind, conversationId: row.conversation_id, toolCallId: row.tool_call_id, data: JSON.parse(row.data_json) as unknown, hash: row.hash };
}
