/**
 * Characters a terminal acts on rather than shows: C0 controls but tab and line feed (ESC starts the sequences
 * that move the cursor, clear lines, set the title or the clipboard; a lone carriage return writes over a line),
 * DEL, C1 controls (U+009B is a CSI of its own) and the bidirectional overrides and isolates that reorder a line.
 */
// eslint-disable-next-line no-control-regex
const ACTING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A line as printed to the terminal: what a model, a server, a page or a key's message wrote (a reply, a title, an
 * error) is shown, never obeyed, so `\u001b]52;…` cannot fill the clipboard nor `\u001b[2A\u001b[2K` erase the
 * line that said a file was deleted. Each such character is spelled as its escape, which in a JSON line (--json)
 * is the same string to a parser; a Windows line ending reads as a line ending.
 */
export function terminalLine(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(ACTING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
