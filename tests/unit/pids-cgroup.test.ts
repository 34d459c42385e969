import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMcpConfig } from '../../src/core/mcp/mcp-config';
import { createProcessCountLimit, processCountLimitAvailable } from '../../src/core/sandbox/pids-cgroup';

describe('per-server process count limit', () => {
  it('mcp.json takes maxProcesses in the sandbox profile and refuses a non-positive one, naming the server', () => {
    const { servers, problems } = parseMcpConfig({
      mcpServers: { capped: { command: 'x', sandbox: { maxProcesses: 16 } }, bad: { command: 'x', sandbox: { maxProcesses: 0 } } },
    });
    expect(servers.get('capped')).toMatchObject({ sandbox: { maxProcesses: 16 } });
    expect(problems.join('\n')).toMatch(/"bad" was skipped.*sandbox\.maxProcesses/);
  });

  it.skipIf(!processCountLimitAvailable())('the wrapped command runs inside a cgroup capped at the limit, and release removes it', async () => {
    const limit = createProcessCountLimit(`unit-${process.pid}`, 7)!;
    expect(readFileSync(join(limit.path, 'pids.max'), 'utf8').trim()).toBe('7');
    const { command, args } = limit.wrap('/bin/sh', ['-c', 'cat /proc/self/cgroup']);
    const own = execFileSync(command, args, { encoding: 'utf8' });
    expect(own).toContain(`/portcullis/unit-${process.pid}`);
    await limit.release();
    await limit.release(); // a second call is harmless
    expect(existsSync(limit.path)).toBe(false);
  });
});
