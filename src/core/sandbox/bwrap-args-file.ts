import { fstatSync, ftruncateSync, readFileSync, writeSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { bwrapWords, type Word } from './bwrap-words';
import { shellQuote } from './sandbox-command';

/** How sandbox-runtime starts bubblewrap when its mounts went to a file: a shell opens it on fd 9, then runs bwrap. */
const THROUGH_FILE = /^\/bin\/sh -c 'exec (\d)<"\$1" && shift && exec "\$@"' srt-args \/proc\/(\d+)\/fd\/(\d+) bwrap /;

/**
 * sandbox-runtime's bubblewrap line with `edit` made to it, whichever way its mounts travel. Past the kernel's cap on
 * one argument (128 KiB: hundreds of secret files hidden in a big workspace) sandbox-runtime moves the mounts to an
 * unnamed file this process holds open, read by bwrap through `--args 9`: an edit of the line alone would miss them,
 * leaving the data folder and private home writable (writes vanish), write grants inside them read-only and the
 * home's links out missing. So the edit is made on the line as it would be with the mounts inline, and what it gives
 * back after the words that stay on the line is written over that file (this process opened it for writing), the
 * line then reading it as before. Throws when the line is in neither form, or the file is not as written: the server
 * is refused rather than started with its hidden folders unfinished.
 */
export function editBwrapLine(argv: readonly string[], edit: (argv: string[]) => string[]): string[] {
  const at = argv.findIndex((word) => word.startsWith('bwrap ') || THROUGH_FILE.test(word));
  if (at < 0) throw unfinished('its command line is in a form Portcullis does not know');
  const line = argv[at]!;
  if (line.startsWith('bwrap ')) return edit([...argv]);
  const [, shellFd, pid, fileFd] = THROUGH_FILE.exec(line)!;
  const words = bwrapWords(line);
  const bwrap = words.findIndex((w) => w.text === 'bwrap');
  const args = words.findIndex((w, i) => w.text === '--args' && words[i + 1]?.text === shellFd);
  if (Number(pid) !== process.pid || bwrap < 0 || args < bwrap) throw unfinished('its mounts went to a file in a form Portcullis does not know');
  const fd = Number(fileFd);
  const mounts = readProfile(fd);
  const before = words.slice(bwrap + 1, args);
  const after = words.slice(args + 2, -1);
  const dashes = words.at(-1)!;
  const command = line.slice(dashes.start);
  const inline = `bwrap ${[...before.map(textOf), ...mounts, ...after.map(textOf)].map(shellQuote).join(' ')} ${command}`;
  const edited = edit(argv.with(at, inline))[at] ?? '';
  const result = bwrapWords(edited);
  const kept = result.slice(1, 1 + before.length).map(textOf);
  if (result[0]?.text !== 'bwrap' || kept.join('\0') !== before.map(textOf).join('\0') || edited.slice(result.at(-1)!.start) !== command) {
    throw unfinished('its edited command line is not as expected');
  }
  // Everything after the words that stay before `--args` goes to the file, what the edit added among it included.
  writeProfile(fd, result.slice(1 + before.length, -1).map(textOf));
  return argv.with(at, `${line.slice(0, words[args]!.start)}--args ${shellFd} ${command}`);
}

const textOf = (word: Word): string => word.text;

/** The words of the mounts' file: NUL-terminated, as sandbox-runtime writes them. Throws when it is not that. */
function readProfile(fd: number): string[] {
  let contents: string;
  try {
    // An unnamed file (O_TMPFILE): no name on disk that anything else could have swapped.
    if (fstatSync(fd).nlink !== 0) throw new Error('it has a name on disk');
    contents = readFileSync(`/proc/self/fd/${fd}`, 'utf8');
  } catch (error) {
    throw unfinished(`its mounts' file could not be read (${(error as Error).message})`);
  }
  if (!contents.endsWith('\0')) throw unfinished("its mounts' file is not as written");
  return contents.slice(0, -1).split('\0');
}

function writeProfile(fd: number, words: readonly string[]): void {
  const contents = Buffer.from(words.map((word) => `${word}\0`).join(''), 'utf8');
  try {
    ftruncateSync(fd, 0);
    writeSync(fd, contents, 0, contents.length, 0);
  } catch (error) {
    throw unfinished(`its mounts' file could not be written (${(error as Error).message})`);
  }
}

function unfinished(why: string): AppError {
  return new AppError('MCP_SERVER_UNAVAILABLE', `The OS sandbox's hiding of the data folder and home folder could not be finished: ${why}. The server is not started rather than run with them writable.`);
}
