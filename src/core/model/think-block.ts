const OPEN = '<think>';
const CLOSE = '</think>';

/** A piece of a reply, told apart: the reasoning in its opening `<think>…</think>`, and the answer after it. */
export interface ThinkPiece {
  reasoning: string;
  answer: string;
  /**
   * The answer given out before this piece was reasoning after all (a lone `</think>` came, its opening having been in
   * the prompt): `reasoning` holds it, with what followed it up to the close.
   */
  recalled?: true;
}

/**
 * Tells the `<think>…</think>` a reasoning model (Qwen3, DeepSeek-R1, gpt-oss on some servers) opens its reply with
 * from its answer, as the reply streams: a tag split across two pieces is held until it is whole. Only a block at
 * the very start is reasoning (a `<think>` later in an answer is the answer's words). The one reader of it: the
 * native stream, prompted calls and the detection of calls written as text all go through it.
 *
 * A model whose chat template puts the opening `<think>` in the prompt (DeepSeek-R1 distills, Qwen3 thinking-2507)
 * writes only the close. Its reply streams as an answer, since nothing tells it apart until then; a lone `</think>`
 * closing its line, outside code, with no `<think>` before it, then recalls all of it as reasoning (`recalled`).
 */
export class ThinkSplitter {
  /**
   * `lateClose: false`: a lone `</think>` is the answer's words. So when the model has been shown one (a tool's result
   * holding it, which a model quoting the result writes again): what it wrote before it would be taken from its
   * answer, and what after it read as a whole answer (a prompted call that only quoted a page then ran).
   */
  constructor(private readonly options: { lateClose?: boolean } = {}) {}

  private state: 'start' | 'thinking' | 'answer' = 'start';
  private held = '';
  /** The blank lines a model sets between its reasoning and its answer are not the answer's. */
  private trimAnswerStart = false;
  /** In an answer that did not open with `<think>`: whether a lone close may yet come, and what was given out before it. */
  private lateClose: { answered: string } | null = null;

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
        this.lateClose = this.options.lateClose === false ? null : { answered: '' };
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
    if (this.lateClose) return this.watchLateClose(piece, false);
    if (this.trimAnswerStart) {
      this.held = this.held.trimStart();
      if (this.held) this.trimAnswerStart = false;
    }
    piece.answer = this.held;
    this.held = '';
    return piece;
  }

  /** Gives out the answer held, but for what may still be a lone `</think>`, or recalls it all once one closes its line. */
  private watchLateClose(piece: ThinkPiece, ended: boolean): ThinkPiece {
    const watch = this.lateClose!;
    const found = findLateClose(watch.answered, this.held, ended);
    if (found.kind === 'close') {
      this.lateClose = null;
      piece.reasoning = watch.answered + this.held.slice(0, found.at);
      piece.recalled = true;
      piece.answer = this.held.slice(found.at + CLOSE.length).trimStart();
      this.trimAnswerStart = !piece.answer;
      this.held = '';
      return piece;
    }
    const given = found.kind === 'hold' ? found.from : this.held.length;
    if (found.kind === 'none') this.lateClose = null;
    else watch.answered += this.held.slice(0, given);
    piece.answer = this.held.slice(0, given);
    this.held = this.held.slice(given);
    return piece;
  }

  /** What is still held when the reply ends; `unclosed` when its reasoning never closed (all of it was reasoning). */
  end(): ThinkPiece & { unclosed: boolean } {
    if (this.state === 'answer' && this.lateClose) return { ...this.watchLateClose({ reasoning: '', answer: '' }, true), unclosed: false };
    const rest = this.held;
    this.held = '';
    if (this.state === 'thinking') return { reasoning: rest, answer: '', unclosed: true };
    return { reasoning: '', answer: rest, unclosed: false };
  }
}

/** A whole reply told apart (`ThinkSplitter` over one piece); `unclosed` when its reasoning never closed. */
export function splitThinking(text: string, options: { lateClose?: boolean } = {}): ThinkPiece & { unclosed: boolean } {
  const splitter = new ThinkSplitter(options);
  const first = splitter.push(text);
  const last = splitter.end();
  // Recalled at the end: what the first piece gave as answer is in the last's reasoning.
  return { reasoning: first.reasoning + last.reasoning, answer: last.recalled ? last.answer : first.answer + last.answer, unclosed: last.unclosed };
}

type LateClose = { kind: 'close'; at: number } | { kind: 'hold'; from: number } | { kind: 'none' };

/**
 * Where in `text` (after `answered`, the answer given out before it) a lone `</think>` ends reasoning whose opening
 * was in the prompt: the first one, with no `<think>` before it, outside a code block or inline code, the last thing
 * on its line and either its line's first (as these models write it: `…\n</think>\n\n`) or stuck to the reasoning's
 * last word (`…so 4.</think>`), so an answer that writes the tag in code or names it in a sentence is left whole.
 * `hold`: what from `from` on may still become one (a tag not yet whole, or a close whose line has not ended);
 * `none`: no close can come any more.
 */
function findLateClose(answered: string, text: string, ended: boolean): LateClose {
  const at = text.indexOf(CLOSE);
  if (at < 0) {
    if (ended || text.includes(OPEN)) return { kind: 'none' };
    const keep = partialTagLength(text, CLOSE);
    return keep > 0 ? { kind: 'hold', from: text.length - keep } : { kind: 'hold', from: text.length };
  }
  const before = answered + text.slice(0, at);
  if (before.includes(OPEN) || insideCode(before) || !endsReasoning(before.slice(before.lastIndexOf('\n') + 1))) return { kind: 'none' };
  const after = text.slice(at + CLOSE.length);
  if (/^[ \t]*\r?\n/.test(after)) return { kind: 'close', at };
  if (/^[ \t]*\r?$/.test(after)) return ended ? { kind: 'close', at } : { kind: 'hold', from: at };
  return { kind: 'none' }; // words follow on its line: the tag named in a sentence
}

/**
 * Whether a close after `line` (what its line holds before it) can end reasoning: alone on its line (indented less
 * than markdown's code, and no list, quote or heading mark) or right after the reasoning's last word. After a word
 * and a space (`…closes with </think>`) it is a sentence naming the tag.
 */
function endsReasoning(line: string): boolean {
  return /^ {0,3}$/.test(line) || /\S$/.test(line);
}

/** Whether the end of `text` is inside a ``` (or ~~~) block or, on its last line, inside `inline code`. */
function insideCode(text: string): boolean {
  const fences = text.split('\n').filter((line) => /^\s*(```|~~~)/.test(line)).length;
  if (fences % 2 === 1) return true;
  const line = text.slice(text.lastIndexOf('\n') + 1);
  return (line.match(/`/g)?.length ?? 0) % 2 === 1;
}

/** How many characters at the end of `text` begin `tag` (held back: the rest of the tag may come next). */
function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}
