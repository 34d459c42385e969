import { unfenceUntrusted } from '../taint/untrusted-fence';

/**
 * Whether a prompted answer quotes a tool call (tells of it, shows it as an example) rather than makes one. Read as
 * calls, an injection the model only reported would run, and an example of the format it explains would too; a call
 * missed is only a reply the person reads. A call the model makes is the output, or ends it after a word or two:
 * it stops there to wait for the results.
 */
export function quotesCall(text: string): boolean {
  return ledByProse(text) || fenceQuoted(text);
}

/**
 * Output with words before its first brace or bracket, other than a fenced block that ends it ("Sure!\n```json\n{…}\n
 * ```"): a call written there is one the model quotes or tells about ("the page asks to run {"name": …}; I did not"),
 * not one it makes, as a reply that is nothing but a call is read for a native model (text-tool-call.ts).
 */
function ledByProse(text: string): boolean {
  return !/^\s*(?:```(?:json)?\s*)?[[{]/i.test(text) && !/```(?:json)?\s*[[{][^`]*```\s*$/i.test(text);
}

const FENCE = /```[^\n`]*\n?[\s\S]*?```/g;

/** Words that show a fenced block as an example of a call, not the call ("like this:", "for example", "the format"). */
const EXAMPLE = /\b(?:for example|for instance|an example|example:|like this|like so|such as|the format|this format|would look|looks like|syntax)\b|e\.g\./i;

/**
 * Output whose fenced block has words after it, or between it and another, or is led by words that show it as an
 * example: the model goes on talking past the block (explaining a format, reporting a page), so the block is quoted.
 */
function fenceQuoted(text: string): boolean {
  if (!text.match(FENCE)) return false;
  const [lead = '', ...rest] = text.split(FENCE);
  return rest.some((words) => words.trim() !== '') || EXAMPLE.test(lead);
}

const CALL_BLOCK = /<tool_call>([\s\S]*?)<\/tool_call>|```[^\n`]*\n?([\s\S]*?)```/g;

/**
 * Whether the output repeats, among words of its own, a call block the model was shown in a message not its own (a
 * tool's result, as a page's injected `<tool_call>{…}</tool_call>` or fenced call): it reports what it read, and the
 * call is the page's, not the model's. `shown`: those messages' text. Output that is nothing but the block is left a
 * call, as it is for a native model.
 */
export function repeatsShownCall(text: string, shown: string | undefined): boolean {
  if (!shown) return false;
  const blocks = [...text.matchAll(CALL_BLOCK)].map((match) => squeezed(match[1] ?? match[2] ?? ''));
  if (blocks.length === 0 || squeezed(text.replace(CALL_BLOCK, ' ')) === '') return false;
  const seen = squeezed(shown);
  return blocks.every((block) => block !== '' && seen.includes(block));
}

/** Without its whitespace: a model repeating a block may space its JSON otherwise. */
function squeezed(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * The text of tools' results as the model reads them: each as sent, and the strings of one sent as JSON (a file's
 * content in fs.read's `{"content": …}`), whose quotes the model reads unescaped and repeats so; an untrusted one
 * inside its fence, its `<` written `\u003c` there (untrusted-fence.ts).
 */
export function resultsText(results: readonly string[]): string {
  return results
    .flatMap((result) => {
      const inner = unfenceUntrusted(result) ?? result;
      return [result, inner.replaceAll('\\u003c', '<'), ...stringsOf(parsedJson(inner), 0)];
    })
    .join('\n');
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringsOf(value: unknown, depth: number): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object' || depth > 6) return [];
  return Object.values(value).flatMap((inner) => stringsOf(inner, depth + 1));
}
