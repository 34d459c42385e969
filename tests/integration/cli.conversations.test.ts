import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

describe('portcullis conversations list|export', () => {
  it('lists the conversations and prints one as Markdown or JSON; an unknown id says where the ids are', async () => {
    const dataDir = tempDir();
    const cli = (...args: string[]) => run(process.execPath, [cliBin, ...args, '--data-dir', dataDir]);
    const chat = JSON.parse((await cli('chat', '--json', '--approve', 'all', 'write hello.txt with hi')).stdout.trim()) as { conversationId: string };

    const { conversations } = JSON.parse((await cli('conversations', 'list', '--json')).stdout) as { conversations: { id: string; title: string }[] };
    expect(conversations.map((c) => c.id)).toEqual([chat.conversationId]);
    expect((await cli('conversations', 'list')).stdout).toMatch(new RegExp(`^${chat.conversationId}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC  write hello\\.txt with hi\\n$`));

    const markdown = (await cli('conversations', 'export', chat.conversationId)).stdout;
    expect(markdown).toMatch(/^# write hello\.txt with hi\n/);
    expect(markdown).toMatch(/### Tool `fs\.write` · .*\n\napproved by the script's --approve all · succeeded · \d+ ms/);
    const exported = JSON.parse((await cli('conversations', 'export', chat.conversationId, '--json')).stdout) as { messages: { role: string }[] };
    expect(exported.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);

    await expect(cli('conversations', 'export', 'nope')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('portcullis conversations list" shows their ids') });
  }, 60_000); // six CLI processes, each starting the app (seconds each on a busy machine)

  it('list, export and search only read: no workspace, logs or any other folder is created, nor a data folder that is not there', async () => {
    const dataDir = tempDir();
    const workspace = tempDir();
    const cli = (...args: string[]) => run(process.execPath, [cliBin, ...args, '--data-dir', dataDir]);
    const chat = JSON.parse((await cli('chat', '--json', '--workspace', workspace, 'hello there')).stdout.trim()) as { conversationId: string };
    const before = readdirSync(dataDir).sort();
    expect(before).not.toContain('workspace');
    expect((await cli('conversations', 'list')).stdout).toContain('hello there');
    expect((await cli('conversations', 'export', chat.conversationId)).stdout).toMatch(/^# hello there\n/);
    expect(JSON.parse((await cli('search', '--json', 'hello')).stdout).hits.length).toBeGreaterThan(0);
    expect(readdirSync(dataDir).sort()).toEqual(before);

    const nowhere = join(tempDir(), 'never-made');
    const elsewhere = (...args: string[]) => run(process.execPath, [cliBin, ...args, '--data-dir', nowhere]);
    expect((await elsewhere('conversations', 'list')).stdout).toBe('No conversations yet.\n');
    expect(JSON.parse((await elsewhere('search', '--json', 'hello')).stdout)).toEqual({ query: 'hello', hits: [] });
    expect(existsSync(nowhere)).toBe(false);
  }, 60_000);
});
