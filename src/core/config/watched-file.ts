import { hash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * A config file that a person may edit in another app while Portcullis runs. Its folder is watched (an editor
 * that saves by writing a new file and renaming it over the old one would end a watch on the file itself);
 * `onChange` runs once the file has settled (editors write in steps) and only when what it holds differs from
 * what was last seen, so a save that Portcullis made itself and marked `seen` is not taken up twice.
 */
export class WatchedFile {
  private watcher: FSWatcher | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: string | null;

  constructor(
    private readonly file: string,
    private readonly onChange: () => void,
    private readonly settleMs = 300,
  ) {
    this.last = this.read();
    try {
      this.watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(file)) this.schedule();
      });
      this.watcher.on('error', () => this.dispose());
    } catch {
      // No watching here (the folder is gone, or the system's watches ran out): changes are seen at the next start.
      this.watcher = null;
    }
  }

  /**
   * A short hash of the file as last taken up ("" when it is missing): a page showing the file can tell it
   * changed. Read from memory, not the disk: the page asks every 2 s.
   */
  version(): string {
    return this.last === null ? '' : hash('sha256', this.last).slice(0, 16);
  }

  /** Portcullis wrote the file itself and has taken the change up. */
  seen(): void {
    this.last = this.read();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = null;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const now = this.read();
      if (now === this.last) return;
      this.last = now;
      this.onChange();
    }, this.settleMs);
  }

  private read(): string | null {
    try {
      return readFileSync(this.file, 'utf8');
    } catch {
      return null;
    }
  }
}
