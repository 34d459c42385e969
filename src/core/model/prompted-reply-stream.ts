/** The opening a prompted answer that is a reply has, before its text: `{"reply": "` (maybe in a ```json fence). */
const OPENING = ['{', '"reply"', ':', '"'] as const;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Streams the text of a prompted answer while it arrives. A model in prompted mode answers with one JSON object;
 * when that object opens with `{"reply": "`, the string is decoded as it comes and its text released piece by
 * piece, so the person sees the answer being written, as with native tool calling, instead of all at once at
 * the end. Anything else (tool calls, another shape, prose) is only buffered. The whole output is still parsed
 * and validated at the end, and that decides what the answer was; `rest` says what is left to release then.
 */
export class PromptedReplyStream {
  private text = '';
  private state: 'opening' | 'reply' | 'closed' | 'off' = 'opening';
  /** Where reading goes on in `text`. */
  private at = 0;
  private released = '';

  /** Takes the next piece of output; returns reply text that can be shown now ('' when none). */
  push(delta: string): string {
    this.text += delta;
    if (this.state === 'opening') this.open();
    if (this.state !== 'reply') return '';
    const piece = this.decode();
    this.released += piece;
    return piece;
  }

  /** Everything the model has written so far, for the parse at the end. */
  get output(): string {
    return this.text;
  }

  /** Once the whole output is parsed into `reply`: the part of it not released yet. */
  rest(reply: string): string {
    // What was released is the model's own string, decoded; a repair at the end may have changed the parse.
    return reply.startsWith(this.released) ? reply.slice(this.released.length) : '';
  }

  /** Reads past `{"reply": "` (whitespace and a ```json fence allowed), or gives up at the first other character. */
  private open(): void {
    let i = skipSpace(this.text, 0);
    if (this.text.startsWith('`', i)) {
      const fenceEnd = this.text.indexOf('\n', i);
      const line = fenceEnd < 0 ? this.text.slice(i) : this.text.slice(i, fenceEnd);
      if (fenceEnd < 0) return void ('```json'.startsWith(line) || /^```(json)?[ \t]*$/.test(line) || (this.state = 'off'));
      if (!/^```(json)?\s*$/.test(line)) return void (this.state = 'off');
      i = fenceEnd + 1;
    }
    for (const token of OPENING) {
      i = skipSpace(this.text, i);
      const available = this.text.slice(i, i + token.length);
      if (available !== token.slice(0, available.length)) return void (this.state = 'off');
      if (available.length < token.length) return; // not all here yet
      i += token.length;
    }
    this.state = 'reply';
    this.at = i;
  }

  /** Decodes the reply string from `at` as far as it is complete: an escape is released only once it is whole. */
  private decode(): string {
    let out = '';
    const text = this.text;
    let i = this.at;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        this.state = 'closed';
        i++;
        break;
      }
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      if (i + 1 >= text.length) break;
      const kind = text[i + 1]!;
      if (kind !== 'u') {
        out += ESCAPES[kind] ?? kind;
        i += 2;
        continue;
      }
      const unit = hexUnit(text, i + 2);
      if (unit === undefined) break;
      if (unit === null) {
        this.state = 'off'; // not JSON: the parse at the end will say so
        break;
      }
      if (unit >= 0xd800 && unit <= 0xdbff) {
        // A high surrogate is released with its low half, never alone.
        if (i + 12 > text.length) break;
        const low = text.startsWith('\\u', i + 6) ? hexUnit(text, i + 8) : null;
        if (typeof low === 'number' && low >= 0xdc00 && low <= 0xdfff) {
          out += String.fromCharCode(unit, low);
          i += 12;
          continue;
        }
      }
      out += String.fromCharCode(unit);
      i += 6;
    }
    this.at = i;
    return out;
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** The UTF-16 unit of four hex digits at `at`; undefined while they have not all arrived, null if they are not hex. */
function hexUnit(text: string, at: number): number | null | undefined {
  const digits = text.slice(at, at + 4);
  if (!/^[0-9a-fA-F]*$/.test(digits)) return null;
  return digits.length < 4 ? undefined : Number.parseInt(digits, 16);
}
