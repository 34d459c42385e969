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
