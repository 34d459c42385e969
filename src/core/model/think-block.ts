const OPEN = '<think>';
const CLOSE = '</think>';

/** A piece of a reply, told apart: the reasoning in its opening `<think>…</think>`, and the answer after it. */
export interface ThinkPiece {
  reasoning: string;
  answer: string;
}

/**
 * Tells the `<think>…</think>` a reasoning model (Qwen3, DeepSeek-R1, gpt-oss on some servers) opens its reply with
 * from its answer, as the reply streams: a tag split across two pieces is held until it is whole. Only a block at
 * the very start is reasoning (a `<think>` later in an answer is the answer's words). The one reader of it: the
 * native stream, prompted calls and the detection of calls written as text all go through it.
 */
export class ThinkSplitter {
  private state: 'start' | 'thinking' | 'answer' = 'start';
  private held = '';
  /** The blank lines a model sets between its reasoning and its answer are not the answer's. */
  private trimAnswerStart = false;

  push(delta: string): ThinkPiece {
    this.held += delta;
    const piece: ThinkPiece = { reasoning: '', answer: '' };
    if (this.state === 'start') {
      const lead = this.held.trimStart();
      if (lead.startsWith(OPEN)) {
        this.state = 'thinking';
        this.held = lead.slice(OPEN.length);
      } else if (OPEN.startsWith(lead)) {
        return piece; // blank, or a tag not yet whole
      } else {
        this.state = 'answer';
      }
    }
    if (this.state === 'thinking') {
      const end = this.held.indexOf(CLOSE);
      if (end < 0) {
        const keep = partialTagLength(this.held, CLOSE);
        piece.reasoning = this.held.slice(0, this.held.length - keep);
        this.held = this.held.slice(this.held.length - keep);
        return piece;
      }
      piece.reasoning = this.held.slice(0, end);
      this.held = this.held.slice(end + CLOSE.length);
      this.state = 'answer';
      this.trimAnswerStart = true;
    }
    if (this.trimAnswerStart) {
      this.held = this.held.trimStart();
      if (this.held) this.trimAnswerStart = false;
    }
    piece.answer = this.held;
    this.held = '';
    return piece;
  }

  /** What is still held when the reply ends; `unclosed` when its reasoning never closed (all of it was reasoning). */
  end(): ThinkPiece & { unclosed: boolean } {
    const rest = this.held;
    this.held = '';
    if (this.state === 'thinking') return { reasoning: rest, answer: '', unclosed: true };
    return { reasoning: '', answer: rest, unclosed: false };
  }
}

/** A whole reply told apart (`ThinkSplitter` over one piece); `unclosed` when its reasoning never closed. */
export function splitThinking(text: string): ThinkPiece & { unclosed: boolean } {
  const splitter = new ThinkSplitter();
  const first = splitter.push(text);
  const last = splitter.end();
  return { reasoning: first.reasoning + last.reasoning, answer: first.answer + last.answer, unclosed: last.unclosed };
}

/** How many characters at the end of `text` begin `tag` (held back: the rest of the tag may come next). */
function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}
