import type { Clock } from '../clock';
import type { ReplyDraftStore } from '../storage/stores/reply-draft-store';
import type { PartialReply } from './model-step';

/** At most this often a streaming reply's draft is written: a write per piece would be one per token. */
const DRAFT_EVERY_MS = 500;

/**
 * Writes a turn's partial reply as its conversation's draft while it streams (`ReplyDraftStore`): at its first
 * words, then at most every `everyMs`, the last words of a burst once that time has passed. What a step ends with
 * is stored as its message, which deletes the draft in the same transaction (`ReplyDraftStore.settle`).
 */
export class ReplyDraftWriter {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private done = false;

  constructor(
    private readonly drafts: ReplyDraftStore,
    private readonly turn: { conversationId: string; turnId: string; traceId: string },
    private readonly partial: PartialReply,
    private readonly clock: Clock,
    private readonly everyMs = DRAFT_EVERY_MS,
  ) {}

  /** The partial reply grew: written now if the last write is `everyMs` old, else once it is. */
  changed(): void {
    if (this.timer || this.done) return;
    const wait = this.lastWrite + this.everyMs - performance.now();
    if (wait <= 0) {
      this.write();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, wait);
  }

  /** No more writes: the turn has ended, or is about to store what the person read. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.done = true;
  }

  private write(): void {
    const { text, reasoning } = this.partial;
    // Between steps (the last one's words are stored with it) there is nothing to draft.
    if (!text.trim() && !reasoning?.text.trim()) return;
    this.lastWrite = performance.now();
    try {
      this.drafts.save({ ...this.turn, content: text, ...(reasoning ? { reasoning: { ...reasoning } } : {}), updatedAt: this.clock.now() });
    } catch (error) {
      // The reply streams on; only a crash from here on would lose it, as before drafts.
      this.done = true;
      console.error('the reply so far could not be drafted; it streams on', error);
    }
  }
}
