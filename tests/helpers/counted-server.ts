import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mcpBin, writeMcpConfig } from './mcp';
import { tempDir } from './temp-dir';

/**
 * The everything server as `counted` in the data folder's mcp.json, sandboxed (its read-only tools then run unasked),
 * leaving a line in the returned file each time a process starts it (in the workspace folder it may write to): how a
 * test sees whether a command started a second copy of the running app's server.
 */
export function countedServer(dataDir: string): string {
  const marks = join(dataDir, 'workspace', 'marks');
  mkdirSync(marks, { recursive: true });
  const mark = join(marks, 'starts');
  const wrapper = join(tempDir(), 'counted.cjs');
  writeFileSync(wrapper, `require('fs').appendFileSync(${JSON.stringify(mark)}, 'started\\n'); import(require('fs').realpathSync(${JSON.stringify(mcpBin('everything'))}));\n`);
  writeMcpConfig(dataDir, { counted: { command: process.execPath, args: [wrapper], sandbox: { allowWrite: ['marks'] } } });
  return mark;
}

/** How many times the counted server was started. */
export const countedStarts = (mark: string): number => (existsSync(mark) ? readFileSync(mark, 'utf8').split('\n').filter(Boolean).length : 0);
