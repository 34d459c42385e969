/**
 * Lines a failing program writes after its reason, which say nothing of it: stack frames, Node's version banner,
 * "See 'docker run --help'.", a traceback's header, npm's log-file pointers, lines of punctuation alone.
 */
const NOT_THE_REASON = [
  /^\s*at\s/, // a JavaScript stack frame
  /^\s*File ".*", line \d+/, // a Python stack frame
  /^Traceback \(most recent call last\)/,
  /^Node\.js v\d/,
  /^(See|Run|Try) '.*--help'/i,
  /^For more information,? try '--help'/i,
  /^npm (ERR!|error) (A complete log|Log files were not written|\s*$)/i,
  /^[\s\W_]*$/, // empty, or only punctuation (`^`, `}`, `-----`)
  /^Portcullis dropped /, // Portcullis' own note in the tail (a message too large), not the program's words
];

/**
 * The line of a failed program's stderr that most likely says why it stopped: the last one that is not noise from
 * the list above ("docker: Cannot connect to the Docker daemon…" rather than "See 'docker run --help'."). Null when
 * it wrote nothing of the kind.
 */
export function lastMeaningfulLine(stderr: string): string | null {
  const lines = stderr.split('\n').map((line) => line.trimEnd());
  for (let i = lines.length - 1; i >= 0; i--) {
    let line = lines[i]!;
    // Node prints an error's own fields after its stack, as `{ code: 'MODULE_NOT_FOUND', … }`: skipped whole.
    if (line.trim() === '}') {
      while (i > 0 && !lines[i]!.endsWith('{')) i--;
      line = lines[i]!.slice(0, -1);
    }
    if (!NOT_THE_REASON.some((noise) => noise.test(line))) return line.trim().slice(0, 300);
  }
  return null;
}
