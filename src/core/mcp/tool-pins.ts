import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { shownHashNames } from '../../shared/shown-hash';

/** `annotations` (what the tool says it does: read-only, destructive…) is absent from pins written before it was pinned. */
const DefinitionSchema = z.object({
  hash: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  annotations: z.record(z.string(), z.unknown()).optional(),
  at: z.number(),
});
/**
 * `rejected`: the person said no to this new definition; it stays held back without asking again. `pinsLost`: a tool
 * held only because the pins were lost (`lostAt`), not because its server added it later.
 */
const PendingSchema = DefinitionSchema.extend({ rejected: z.boolean().optional(), pinsLost: z.boolean().optional() });
const PinSchema = DefinitionSchema.extend({ pending: PendingSchema.optional() });
/**
 * `arrivals`: tools a server added after the person had its first list, waiting for their first approval.
 * `lostAt`: when the pins were found lost (the file and its last good copy unreadable): from then on no tool is
 * pinned unseen, since a tool held back for a changed definition cannot be told from one seen for the first time.
 */
const PinFileSchema = z.object({
  version: z.literal(1),
  pins: z.record(z.string(), PinSchema),
  arrivals: z.record(z.string(), PendingSchema).default({}),
  lostAt: z.number().optional(),
});
export type ToolPin = z.infer<typeof PinSchema>;
export type PinnedDefinition = z.infer<typeof DefinitionSchema>;
export type PendingDefinition = z.infer<typeof PendingSchema>;

/** `new`: a tool its server added after its first list, held back until the person approves it. */
export type PinState = 'pinned' | 'changed' | 'new';

export interface OfferedDefinition {
  description: string;
  inputSchema: Record<string, unknown>;
  /** Its MCP annotations: the policy lets a read-only tool run unasked, so a server may not flip them unseen. */
  annotations?: Record<string, unknown>;
}

/**
 * The hash a tool is pinned by: its name, description, input schema and annotations, with object keys in a stable
 * order. Without `annotations`, the hash pins were taken by before annotations counted (to take those up quietly).
 */
export function definitionHash(tool: { name: string } & OfferedDefinition): string {
  const { name, description, inputSchema, annotations } = tool;
  return createHash('sha256').update(stableJson(annotations === undefined ? { name, description, inputSchema } : { name, description, inputSchema, annotations })).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The definition waiting is no longer the one the person looked at: its server changed it again since. Approving
 * it would approve one they never saw, so nothing is approved and the tool stays held back.
 */
export class DefinitionChangedAgainError extends AppError {
  constructor(name: string) {
    super('TOOL_HELD_BACK', `${name}: the definition changed again since you looked: review it again (the Tools & servers page or \`portcullis tools list\`) and approve what it shows now. Nothing was approved; the tool stays held back.`);
  }
}

/** The copy of the pins file written after it on each save, read when the file itself cannot be. */
export function lastGoodPinsFile(file: string): string {
  return `${file}.last-good`;
}

/**
 * The definitions of MCP tools as the person first accepted them (trust on first use), kept in
 * `<dataDir>/tool-pins.json`. A server that later changes a tool's name, description or schema (a "rug pull")
 * gets that tool held back, with the new definition kept beside the old until the person re-approves it. Trust
 * on first use covers a server's first list only: a tool it adds later (a server approved for reading notes that
 * grows a "send" tool) waits for the person's approval too.
 */
export class ToolPinStore {
  private pins: Record<string, ToolPin> = {};
  private arrivals: Record<string, PendingDefinition> = {};
  /** Set once the pins were lost: every tool not pinned since is held back as new (PinFileSchema's `lostAt`). */
  private lostAt: number | undefined;
  readonly problem: string | null = null;
  /** The file as last read or written here (its mtime and size): another process's write differs from it. */
  private stamp = '';
  /** Inside `checkAll`: changes wait for its one write. */
  private batching = false;
  private unsaved = false;

  constructor(private readonly file: string, now = Date.now()) {
    const kept = lastGoodPinsFile(file);
    if (!existsSync(file) && !existsSync(kept)) return;
    let damage: string;
    try {
      this.keepAsLastGood(this.read(file));
      this.stamp = this.stampNow();
      if (this.lostAt !== undefined && Object.values(this.arrivals).some((arrival) => !arrival.rejected)) this.problem = this.stillLost();
      return;
    } catch (error) {
      damage = existsSync(file) ? `could not be read (${(error as Error).message}); it was moved to ${file}.broken` : 'is missing';
      if (existsSync(file)) setAside(file);
    }
    // Never trust a tool again unseen: a tool held back for a changed definition would be pinned as new.
    try {
      this.read(kept);
      this.problem = `${file} ${damage}; its last good copy (${kept}) is used instead, so every tool held back stays held back.`;
    } catch (error) {
      this.pins = {};
      this.arrivals = {};
      this.lostAt = now;
      const why = existsSync(kept) ? `could not be read either (${(error as Error).message})` : 'is missing';
      this.problem = `${file} ${damage}, and its last good copy ${why}. So that no tool is trusted again unseen (one held back for a changed definition among them), every MCP tool is held back until you approve it on the Tools & servers page or with \`portcullis tools list\`.`;
    }
    this.save();
  }

  /**
   * Takes up what another process wrote (`portcullis tools approve` beside the running app), so that its answer
   * counts here and is not written over by this process's older copy. True when the pins changed.
   */
  refresh(): boolean {
    if (this.batching) return false; // taken up at the batch's start; its changes are not yet written
    const stamp = this.stampNow();
    if (stamp === this.stamp) return false;
    try {
      this.read(this.file);
      this.stamp = stamp;
      return true;
    } catch {
      return false; // gone or unreadable for now: the pins held here stand
    }
  }

  get(name: string): ToolPin | undefined {
    this.refresh();
    return this.pins[name];
  }

  /** The definition of a tool its server added later, waiting for the person's first approval. */
  arrival(name: string): PendingDefinition | undefined {
    this.refresh();
    return this.arrivals[name];
  }

  /** Whether any tool named `namespace.…` was ever pinned: then its server's first list is behind it. */
  knowsNamespace(namespace: string): boolean {
    this.refresh();
    const prefix = `${namespace}.`;
    return Object.keys(this.pins).some((name) => name.startsWith(prefix));
  }

  /**
   * Runs `checks` (the `check` of each tool of a server's list) with one write of the file at the end, where each new
   * pin wrote the whole file and its last good copy again: a server's first list of 10,000 tools held the process for
   * three minutes (3,000: 21 s). `checks` is synchronous, so nothing else in this process changes the pins meanwhile.
   */
  checkAll<T>(checks: () => T): T {
    this.refresh();
    this.batching = true;
    try {
      return checks();
    } finally {
      this.batching = false;
      if (this.unsaved) this.save();
    }
  }

  /**
   * Checks a definition against its pin: holds back a changed one, and pins a tool seen for the first time, unless
   * `heldIfNew` (its server's first list is behind it), which holds it back as new until approved.
   */
  check(name: string, offered: OfferedDefinition, options: { heldIfNew?: boolean } = {}, now = Date.now()): PinState {
    this.refresh();
    const definition = { description: offered.description, inputSchema: offered.inputSchema, annotations: offered.annotations ?? {} };
    const hash = definitionHash({ name, ...definition });
    const pin = this.pins[name];
    if (!pin && (options.heldIfNew || this.lostAt !== undefined || this.arrivals[name])) {
      if (this.arrivals[name]?.hash !== hash) {
        const pinsLost = this.lostAt !== undefined && !options.heldIfNew;
        this.arrivals[name] = { hash, ...definition, at: now, ...(pinsLost ? { pinsLost } : {}) };
        this.save();
      }
      return 'new';
    }
    // A pin from before annotations were pinned, for this same definition: its annotations are taken as they are now.
    if (pin && pin.annotations === undefined && pin.hash === definitionHash({ name, description: definition.description, inputSchema: definition.inputSchema })) {
      this.pins[name] = { ...pin, hash, annotations: definition.annotations };
      this.save();
      return this.check(name, offered, options, now);
    }
    if (!pin) {
      this.pins[name] = { hash, ...definition, at: now };
      this.save();
      return 'pinned';
    }
    if (pin.hash === hash) {
      if (pin.pending) {
        delete pin.pending;
        this.save();
      }
      return 'pinned';
    }
    if (pin.pending?.hash !== hash) {
      pin.pending = { hash, ...definition, at: now };
      this.save();
    }
    return 'changed';
  }

  /**
   * The person accepts the changed or new definition they were shown (even one rejected before), named by its hash
   * (`shown`: whole, or its first SHOWN_HASH_LENGTH digits): one its server offered since, unseen, is refused with
   * DefinitionChangedAgainError. False when nothing was waiting.
   */
  approve(name: string, shown: string): boolean {
    this.refresh();
    const pending = this.pins[name]?.pending ?? this.arrivals[name];
    if (!pending) return false;
    if (!shownHashNames(shown, pending.hash)) throw new DefinitionChangedAgainError(name);
    delete this.arrivals[name];
    const { rejected: _rejected, pinsLost: _pinsLost, ...accepted } = pending;
    this.pins[name] = accepted;
    this.save();
    return true;
  }

  /**
   * The person refuses the changed definition: the tool stays held back, and the page stops asking, until the
   * server offers yet another definition (asked afresh) or the approved one again (offered again). False when
   * nothing was waiting.
   */
  reject(name: string): boolean {
    this.refresh();
    const pending = this.pins[name]?.pending ?? this.arrivals[name];
    if (!pending) return false;
    pending.rejected = true;
    this.save();
    return true;
  }

  /** Tools held back, with what they were and what they became. */
  changed(): Array<{ name: string; pinned: PinnedDefinition; now: PinnedDefinition }> {
    this.refresh();
    return Object.entries(this.pins)
      .filter(([, pin]) => pin.pending)
      .map(([name, { pending, ...pinned }]) => ({ name, pinned, now: pending! }));
  }

  /** Reads `file` into the pins held here; returns its text. Throws when it cannot be read or is not a pins file. */
  private read(file: string): string {
    const text = readFileSync(file, 'utf8');
    const parsed = PinFileSchema.parse(JSON.parse(text));
    this.pins = parsed.pins;
    this.arrivals = parsed.arrivals;
    this.lostAt = parsed.lostAt;
    return text;
  }

  private stillLost(): string {
    return `The pins of MCP tools were lost on ${new Date(this.lostAt!).toISOString().slice(0, 10)} (${this.file} could not be read): every MCP tool not approved since is held back until you approve it on the Tools & servers page or with \`portcullis tools list\`.`;
  }

  /** Written whole beside, then renamed over: a crash leaves the old file or the new one, never half of one. */
  private save(): void {
    if (this.batching) {
      this.unsaved = true;
      return;
    }
    this.unsaved = false;
    const text = JSON.stringify({ version: 1, pins: this.pins, arrivals: this.arrivals, ...(this.lostAt === undefined ? {} : { lostAt: this.lostAt }) }, null, 2);
    replaceWhole(this.file, text);
    this.stamp = this.stampNow();
    this.keepAsLastGood(text);
  }

  /** The file as last read or written whole, for a later start that finds the file damaged (a hand edit, a disk error). */
  private keepAsLastGood(text: string): void {
    const kept = lastGoodPinsFile(this.file);
    try {
      if (existsSync(kept) && readFileSync(kept, 'utf8') === text) return;
      replaceWhole(kept, text);
    } catch {
      // A copy that cannot be written: the file itself still holds the pins.
    }
  }

  private stampNow(): string {
    try {
      const { mtimeMs, size, ino } = statSync(this.file);
      return `${mtimeMs}/${size}/${ino}`;
    } catch {
      return '';
    }
  }
}

function replaceWhole(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flush: true });
  renameSync(temp, file);
}

/** Moves a damaged file aside; gone already when another process (a command beside the app) did it first. */
function setAside(file: string): void {
  try {
    renameSync(file, `${file}.broken`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
