import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import { refusedHostNames } from '../sandbox/sandbox-command';
import { refusedWriteFolders } from '../sandbox/refused-write';
import type { Launch } from './connection-transport';
import { writableFor } from './unwritable-folders';

/** Refused folders kept per launch: a server that fails every write in a new folder does not fill the page. */
const MAX_REFUSED_WRITES = 5;

/**
 * How a server's current launch runs (sandboxed or not, and what its sandbox grants) and what that sandbox refused
 * it so far, which the person could allow: the Tools & servers page shows both.
 */
export class LaunchSandbox {
  /** Whether its process runs sandboxed; null until a launch was planned (a server can fail before that). */
  sandboxed: boolean | null = null;
  note: string | undefined;
  grants: SandboxGrants | null = null;
  private refusals: (() => readonly string[]) | undefined;
  /** Folders its sandbox kept its calls from writing in this launch, newest last (at most a few). */
  private refusedWrites: string[] = [];

  /** A new launch: what the last one was refused is forgotten. */
  launched(launch: Launch): void {
    this.sandboxed = launch.sandboxed;
    this.note = launch.note;
    this.grants = launch.grants ?? null;
    this.refusals = launch.refusals;
    this.refusedWrites = [];
  }

  /** Hosts its sandbox refused this launch for want of a grant. */
  get refusedHosts(): string[] {
    return refusedHostNames(this.refusalLines());
  }

  /** Folders its sandbox kept its calls from writing in this launch. */
  get refusedWriteFolders(): readonly string[] {
    return this.refusedWrites;
  }

  /**
   * Takes note of the folders a call's error says its sandbox kept read-only (EROFS, with the path): the server's
   * words, so only for a sandboxed server, only for paths inside one the call named (`named`), and only folders its
   * grants leave read-only. Returns them.
   */
  noteRefusedWrites(errorText: string, named: readonly string[]): string[] {
    const grants = this.grants;
    if (!this.sandboxed || !grants) return [];
    const folders = refusedWriteFolders(errorText, named).filter((folder) => !writableFor(folder, grants));
    this.refusedWrites = [...this.refusedWrites.filter((folder) => !folders.includes(folder)), ...folders].slice(-MAX_REFUSED_WRITES);
    return folders;
  }

  /** What its sandbox refused this launch, one line per kind of refusal (`deny network-outbound host:port (…)`). */
  refusalLines(): readonly string[] {
    return this.refusals?.() ?? [];
  }
}
