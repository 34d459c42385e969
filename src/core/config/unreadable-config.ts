import { messageOf } from '../../shared/errors';

/**
 * Why a config file could not be read, without its words: JSON.parse's message quotes the text around the mistake
 * and a YAML parser's the lines around it, which in a server list are its tokens as pasted (an unquoted
 * `"GITHUB_TOKEN": ghp_…`). Where the mistake is, when the error says.
 */
export function unreadableWhere(error: unknown): string {
  const yaml = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
  if (yaml) return `its mistake is at line ${yaml.line}, column ${yaml.col}`;
  if (error instanceof SyntaxError) {
    const json = /\(line (\d+) column (\d+)\)/.exec(error.message) ?? / at position (\d+)/.exec(error.message);
    if (!json) return /end of JSON input/.test(error.message) ? 'it ends before its last brace' : 'it holds an unexpected character';
    return json[2] ? `its mistake is at line ${json[1]}, column ${json[2]}` : `its mistake is at character ${Number(json[1]) + 1}`;
  }
  return messageOf(error).split('\n')[0]!.replace(/"[^"]*"\.\.\./g, '…');
}
