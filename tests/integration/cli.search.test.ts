import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

describe('portcullis search --json', () => {
  it('finds messages and memories, ranked, with marked snippets', async () => {
    const dataDir = tempDir();
    await run(process.execPath, [cliBin, 'chat', '--json', '--data-dir', dataDir, '--approve', 'all', 'remember that the boiler service is in March']);
    await run(process.execPath, [cliBin, 'chat', '--json', '--data-dir', dataDir, 'list the files about boiler manuals']);
    const { stdout } = await run(process.execPath, [cliBin, 'search', '--json', '--data-dir', dataDir, 'boiler']);
    const output = JSON.parse(stdout.trim()) as { query: string; hits: { kind: string; snippet: string; marks: Array<[number, number]>; conversationId: string | null }[] };
    expect(output.query).toBe('boiler');
    expect(output.hits.map((h) => h.kind).sort()).toEqual(['memory', 'message', 'message', 'message']); // both requests and the reply quoting the memory
    for (const hit of output.hits) expect(hit.marks.map(([start, end]) => hit.snippet.slice(start, end).toLowerCase())).toContain('boiler');
    // Read in a terminal, each match is in [brackets].
    const text = await run(process.execPath, [cliBin, 'search', '--data-dir', dataDir, 'boiler']);
    expect(text.stdout).toMatch(/^memory: .*\[boiler\]/m);
    const none = await run(process.execPath, [cliBin, 'search', '--json', '--data-dir', dataDir, 'zebra']);
    expect(JSON.parse(none.stdout.trim())).toEqual({ query: 'zebra', hits: [] });
  }, 60_000); // five CLI processes, each starting the app (seconds each on a busy machine)

  it("finds what a tool returned, says which tool's and that it is untrusted, on one line with no control character", async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'workspace'), { recursive: true });
    writeFileSync(join(dataDir, 'workspace', 'q3.csv'), 'month,metric\nQ3,churnrate\u001b[31m red\n');
    await run(process.execPath, [cliBin, 'chat', '--json', '--data-dir', dataDir, 'read q3.csv']);
    const { stdout } = await run(process.execPath, [cliBin, 'search', '--json', '--data-dir', dataDir, 'churnrate']);
    const hits = (JSON.parse(stdout.trim()) as { hits: { kind: string; toolName?: string; untrusted?: boolean }[] }).hits;
    expect(hits.filter((h) => h.kind === 'tool_result')).toMatchObject([{ toolName: 'fs.read', untrusted: true }]);
    const text = await run(process.execPath, [cliBin, 'search', '--data-dir', dataDir, 'churnrate']);
    const line = text.stdout.split('\n').find((l) => l.includes('result of fs.read'));
    expect(line).toMatch(/^read q3\.csv \(result of fs\.read, untrusted\): .*Q3,\[churnrate\]/);
    expect(text.stdout).not.toContain('\u001b');
    // A call made from the terminal: its request is said to be the terminal's, not the person's ("user").
    await run(process.execPath, [cliBin, 'tools', 'call', 'fs.read', '--args', '{"path":"q3.csv"}', '--json', '--data-dir', dataDir]);
    const called = await run(process.execPath, [cliBin, 'search', '--data-dir', dataDir, 'portcullis']);
    expect(called.stdout).toMatch(/^Terminal · \d{1,2} \w{3} \(Terminal\): \[portcullis\] tools call fs\.read/m);
  }, 60_000); // six CLI processes, each starting the app (seconds each on a busy machine)

  it('without a query prints the usage and exits 2', async () => {
    await expect(run(process.execPath, [cliBin, 'search', '--json'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('portcullis search') });
  });
});
