import { describe, expect, it } from 'vitest';
import { deleteWaitsWords, runningElsewhereMap, runningElsewhereWords } from '../../src/renderer/features/conversations/running-elsewhere';

describe('conversations another Portcullis process runs a turn in', () => {
  it('are kept by id with the pid that runs them, the same map given back while nothing changed', () => {
    const first = runningElsewhereMap(new Map(), [{ conversationId: 'c1', pid: 41 }]);
    expect([...first]).toEqual([['c1', 41]]);
    expect(runningElsewhereMap(first, [{ conversationId: 'c1', pid: 41 }])).toBe(first);
    expect([...runningElsewhereMap(first, [{ conversationId: 'c1', pid: 42 }])]).toEqual([['c1', 42]]);
    expect(runningElsewhereMap(first, []).size).toBe(0);
  });

  it('say where the turn runs, and why the conversation cannot be deleted from here meanwhile', () => {
    expect(runningElsewhereWords(41)).toBe('Running in another Portcullis window or process (pid 41)');
    expect(deleteWaitsWords(41)).toBe('A turn is running here in another Portcullis (pid 41): wait for it or stop it there first.');
  });
});
