import { z } from 'zod';
import type { SettingsStore } from '../storage/stores/settings-store';

const KEY = 'retention.underWay';

/**
 * A retention cut or "delete everything" that runs in slices, as far as it got: written in the same transaction as
 * each slice of conversations, so after a crash between two slices the next run goes on from these totals and the
 * audit chain gets one entry for the whole cut (written, in one transaction with clearing this, when it ends).
 */
export const CutUnderWaySchema = z.object({
  type: z.enum(['retention.cut', 'retention.delete_everything']),
  reason: z.string(),
  /** The process running it: another Portcullis on the folder waits while it lives, and finishes it once it has ended. */
  pid: z.number().int(),
  startedAt: z.number(),
  bytesBefore: z.number().int(),
  conversations: z.number().int(),
  messages: z.number().int(),
  spans: z.number().int(),
  memories: z.number().int(),
  /** Set when a run ended before the cut did (a crash, Portcullis closing) and a later one finished it. */
  resumed: z.boolean().optional(),
  /**
   * "Delete everything" deletes what there was when it was asked: rows added after (a new chat between two slices)
   * stay. The highest rowids then.
   */
  upTo: z.object({ conversation: z.number().int(), memory: z.number().int(), span: z.number().int() }).optional(),
});
export type CutUnderWay = z.infer<typeof CutUnderWaySchema>;

/** The cut under way, kept in the settings table (the same file, so the same transaction, as the rows it deletes). */
export class CutUnderWayRecord {
  constructor(private readonly settings: SettingsStore) {}

  get(): CutUnderWay | null {
    return this.settings.get(KEY, CutUnderWaySchema.nullable(), null);
  }

  save(cut: CutUnderWay, at: number): void {
    this.settings.set(KEY, CutUnderWaySchema, cut, at);
  }

  clear(at: number): void {
    this.settings.set(KEY, CutUnderWaySchema.nullable(), null, at);
  }
}
