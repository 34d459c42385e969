import { readFileSync } from 'node:fs';

/**
 * Whether `pid` runs, as /proc says (Linux): a zombie (ended, not yet reaped by whoever inherited it) does not,
 * where a signal 0 still reaches it.
 */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
