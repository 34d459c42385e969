import type { z } from 'zod';
import type { Clock } from '../clock';
import type { Disposable } from '../lifecycle/disposable';
import type { SettingsStore } from '../storage/stores/settings-store';
import type { AuditEntry } from './audit-log';

/** A file in the data folder that grants reach (mcp.json, http-fetch.json), as its audit reads it. */
export interface GrantFile<T> {
  /** The settings key that keeps what the file granted when it was last taken up. */
  readonly key: string;
  /** What is kept under `key`: only what the file grants (never a server's command or environment). */
  readonly schema: z.ZodType<T>;
  /** What the file grants as written (a missing file grants nothing); null while it does not read. */
  read(): T | null;
  /** What a file that never read granted: the start of a data folder whose file was broken at every take-up. */
  readonly none: T;
  /** The audit entries for what changed from one version to the next. */
  changes(before: T, after: T): AuditEntry[];
}

export interface GrantFileAuditOptions {
  settings: SettingsStore;
  clock: Clock;
  /** Whether this process records the file's changes (it owns the data folder, or outlived its owner). */
  records: () => boolean;
  record: (entry: AuditEntry) => void;
}

/** Said in an entry for a change found at start: made while no Portcullis watched the file. */
export const WHILE_NOT_RUNNING = 'Portcullis was not running';

/**
 * Records on the audit chain what each version of a grant file grants or takes back, against the version last taken
 * up: where the file is taken up (the page's save and an edit in another editor alike), so a change is recorded once
 * whoever made it, and a reload that finds nothing new records nothing. What the file granted is also kept in the
 * database as it is recorded, so a change made while no Portcullis ran (the person, or a program, editing the file
 * with the app closed) is recorded at the next start, once, as changed while Portcullis was not running. The first
 * start on a folder records nothing: there is nothing yet to compare with.
 */
export class GrantFileAudit<T> {
  private last: T;

  constructor(
    private readonly file: GrantFile<T>,
    private readonly options: GrantFileAuditOptions,
  ) {
    this.last = file.read() ?? file.none;
  }

  /**
   * At start: records what the file grants or takes back against what the database kept when it was last taken up,
   * the changes made while no Portcullis ran, each saying so, and returns them. The first start on a folder only
   * keeps what it grants.
   */
  catchUp(): AuditEntry[] {
    const now = this.file.read();
    const kept = this.kept();
    // A broken file counts from what was last seen: fixing it records what changed since, not all it grants.
    if (!now) this.last = kept ?? this.last;
    if (!now || !this.options.records()) return [];
    const changes = kept === null ? [] : this.file.changes(kept, now).map(whileNotRunning);
    for (const change of changes) this.options.record(change);
    this.keep(now);
    return changes;
  }

  /** Compares the file with the version last taken up, records the differences, and keeps it as the new one. */
  takeUp(): void {
    const now = this.file.read();
    // A file that does not read leaves things as they were: nothing changed until it reads again.
    if (!now) return;
    const changes = this.file.changes(this.last, now);
    this.last = now;
    // Kept only by the process that records it, so what is kept has always been recorded.
    if (!this.options.records()) return;
    for (const change of changes) this.options.record(change);
    // After the entries: a crash in between records the change again at the next start rather than never.
    this.keep(now);
  }

  private kept(): T | null {
    return this.options.settings.get(this.file.key, this.file.schema.nullable(), null);
  }

  private keep(grants: T): void {
    this.options.settings.set(this.file.key, this.file.schema, grants, this.options.clock.now());
  }
}

function whileNotRunning(entry: AuditEntry): AuditEntry {
  return { ...entry, data: { ...(entry.data as object), while: WHILE_NOT_RUNNING } };
}

/** Runs a step of a grant file's audit; what could not be recorded is said, never thrown: the file is taken up all the same. */
export function auditOrSayWhyNot(file: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    console.error(`portcullis: what ${file} grants could not be recorded in the audit log`, error);
  }
}

/** A grant file as the running process takes it up: what changed while closed, a save of Portcullis' own, its version. */
export interface GrantFileTakeUp<Saved = void> extends Disposable {
  /** What changed while no Portcullis ran, found at start against what the database kept, and recorded as such. */
  readonly changedWhileClosed: AuditEntry[];
  /** Portcullis saved the file itself (the page's edit): taken up now, once. */
  saved(): Saved;
  /** The version of the file last taken up, for a page that shows it ('' when it is not watched or missing). */
  version(): string;
}
