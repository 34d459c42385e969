import { describe, expect, it } from 'vitest';
import { describeExit } from '../../src/core/mcp/process-exit';

describe("how a server's process ended, in words", () => {
  it('names the exit code, the signal, and what the signal usually means', () => {
    expect(describeExit({ code: 3, signal: null })).toBe('it exited with code 3');
    expect(describeExit({ code: 0, signal: null })).toBe('it exited with code 0');
    expect(describeExit({ code: null, signal: 'SIGXCPU' })).toBe('it used up its CPU-time limit (SIGXCPU)');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('it was killed (SIGKILL)');
    expect(describeExit({ code: null, signal: 'SIGUSR2' })).toBe('it was stopped by a signal (SIGUSR2)');
  });

  it("reads a sandbox wrapper's 128 + N as the signal N that ended the server inside it", () => {
    expect(describeExit({ code: 139, signal: null })).toBe('it crashed (SIGSEGV: exit code 139)');
    expect(describeExit({ code: 152, signal: null })).toBe('it used up its CPU-time limit (SIGXCPU: exit code 152)');
    expect(describeExit({ code: 255, signal: null })).toBe('it exited with code 255');
  });

  it('says only that it exited when the ending is unknown', () => {
    expect(describeExit(null)).toBe('it exited');
    expect(describeExit({ code: null, signal: null })).toBe('it exited');
  });
});
