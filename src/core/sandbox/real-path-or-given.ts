import { realpathSync } from 'node:fs';

/** `path` with its links resolved, as bubblewrap and the kernel see it; as given when it does not exist (yet). */
export function realPathOrGiven(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
