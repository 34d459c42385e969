import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface RotatingFileOptions {
  dir: string;
  /** The live file's name; rotated files get `.1` (newest) … `.<maxFiles>` (oldest). */
  name: string;
  maxBytes?: number;
  maxFiles?: number;
}

/**
 * An append-only log file that rotates by size. Writes are synchronous so a line logged just before a crash is
 * on disk; log volume is low (a few lines per turn), so this costs nothing measurable.
 *
 * A log is diagnostics: a file that cannot be opened (a logs folder left by another user) or written (a full
 * disk) never stops Portcullis, nor the tool call or turn that logged the line. The line is dropped, and
 * `onProblem` is told why, once; the file is tried again at the next line.
 */
export class RotatingFile {
  private fd: number | null = null;
  private closed = false;
  /** Why lines are being dropped, while they are: said once to `onProblem`. */
  private problem: string | null = null;
  private size: number;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly path: string;

  constructor(
    private readonly options: RotatingFileOptions,
    private readonly onProblem: (problem: string) => void = () => undefined,
  ) {
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.maxFiles = options.maxFiles ?? 5;
    this.path = join(options.dir, options.name);
    this.size = 0;
    try {
      this.open();
    } catch (error) {
      this.fail(error);
    }
  }

  get file(): string {
    return this.path;
  }

  write(line: string): boolean {
    // A late line (an async task finishing during shutdown) is dropped rather than written to a closed descriptor.
    if (this.closed) return false;
    const bytes = Buffer.byteLength(line);
    try {
      if (this.fd === null) this.open(); // it failed before: the folder may be writable again
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      writeSync(this.fd!, line);
    } catch (error) {
      this.fail(error);
      return false;
    }
    this.size += bytes;
    if (this.problem !== null) this.problem = null; // written again (space was freed): a next failure is said again
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== null) closeSync(this.fd);
  }

  private fail(error: unknown): void {
    if (this.problem !== null) return;
    this.problem = `The log ${this.path} cannot be written (${(error as Error).message}); Portcullis goes on without it until it can.`;
    this.onProblem(this.problem);
  }

  private open(): void {
    mkdirSync(this.options.dir, { recursive: true });
    this.fd = openSync(this.path, 'a', 0o600); // conversations' words pass through it, redacted but private
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    closeSync(this.fd!);
    this.fd = null;
    const oldest = `${this.path}.${this.maxFiles}`;
    if (existsSync(oldest)) rmSync(oldest);
    for (let i = this.maxFiles - 1; i >= 1; i--) {
      const from = `${this.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    this.open();
  }
}
