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
 */
export class RotatingFile {
  private fd: number;
  private closed = false;
  private size: number;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly path: string;

  constructor(private readonly options: RotatingFileOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.maxFiles = options.maxFiles ?? 5;
    this.path = join(options.dir, options.name);
    this.fd = openSync(this.path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  get file(): string {
    return this.path;
  }

  write(line: string): boolean {
    // A late line (an async task finishing during shutdown) is dropped rather than written to a closed descriptor.
    if (this.closed) return false;
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    writeSync(this.fd, line);
    this.size += bytes;
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    const oldest = `${this.path}.${this.maxFiles}`;
    if (existsSync(oldest)) rmSync(oldest);
    for (let i = this.maxFiles - 1; i >= 1; i--) {
      const from = `${this.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }
}
