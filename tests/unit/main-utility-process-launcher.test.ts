import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/temp-dir';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';

const forked = vi.hoisted(() => [] as { entry: string; args: string[] }[]);
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (entry: string, args: string[]) => {
      forked.push({ entry, args });
      return Object.assign(new EventEmitter(), { stderr: null, postMessage: () => undefined, kill: () => true });
    },
  },
}));

const { createUtilityProcessLauncher } = await import('../../src/main/utility-process-launcher');

describe('the desktop tool workers (utility processes)', () => {
  it('are told to hold their tools to the heap limit on a thread, which a utility process cannot take as a flag', () => {
    const workspace = workspaceScope(tempDir());
    createUtilityProcessLauncher('/app/tool-worker.js', { maxHeapMb: 512 })(workspace);
    createUtilityProcessLauncher('/app/tool-worker.js')(workspace);
    expect(forked[0]!.args).toContain('--heap-in-thread=512');
    expect(forked[1]!.args.some((arg) => arg.startsWith('--heap-in-thread'))).toBe(false);
  });
});
