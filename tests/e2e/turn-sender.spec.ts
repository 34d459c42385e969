import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { chunk, listenFakeOpenAiServer } from '../helpers/openai-chat-server';
import { cliBin } from '../helpers/paths';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

test("a turn the terminal or a script's key sent says so where the person decides: the message names its sender, the approval who waits", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  host = new HeadlessHost();
  await host.start();
  await page.goto(host.url);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  const conversationId = (await host.api('conversations.create', {})).output.id as string;

  // `portcullis chat --approve ask` in a terminal beside it.
  const command = spawn(process.execPath, [cliBin, 'chat', '--approve', 'ask', '--data-dir', host.dataDir, '--conversation', conversationId, 'fs.write {"path":"t.txt","content":"hi"}'], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => command.once('exit', resolve));
  await expect(page.getByRole('heading', { name: 'Terminal is waiting for your approval' })).toBeVisible();
  const dialog = page.getByRole('dialog', { name: 'Write 2 characters to t.txt' });
  await expect(dialog.getByTestId('approval-sent-by')).toHaveText('Terminal, not you');
  // The model asked, for the terminal's message: the agent, not the terminal, is who a denial's note goes to.
  await expect(dialog.getByTestId('approval-requested-by')).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation-row').first().click();
  const log = page.getByRole('log', { name: 'Messages' });
  const request = log.locator('.message-user').first();
  await expect(request.locator('.message-role')).toHaveText('Terminal');
  await expect(request.getByTestId('message-sender')).toHaveText('sent this message, not you');
  // A turn of the model's, not drawn as a direct call of the terminal's.
  await expect(log.locator('[data-direct-call]')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  expect(await exited).toBe(0);

  // A script's key.
  const script = await host.createScriptKey('nightly', ['chat']);
  expect((await script.api('chat.send', { conversationId, text: 'fs.write {"path":"k.txt","content":"hi"}' })).ok).toBe(true);
  await expect(page.getByRole('heading', { name: 'Local API (key "nightly") is waiting for your approval' })).toBeVisible();
  await expect(log.locator('.message-user').last().locator('.message-role')).toHaveText('Local API (key "nightly")');
  await page.getByRole('dialog', { name: 'Write 2 characters to k.txt' }).getByRole('button', { name: 'Deny' }).click();

  // The person's own message stays theirs.
  await page.getByRole('textbox', { name: 'Message' }).fill('fs.write {"path":"o.txt","content":"hi"}');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('heading', { name: 'Portcullis is waiting for your approval' })).toBeVisible();
  await expect(log.locator('.message-user').last().locator('.message-role')).toHaveText('You');
  await expect(log.locator('.message-user').last().getByTestId('message-sender')).toHaveCount(0);
});

test("a key's turn the person retried still names the key's message, and says the person retried it (Portcullis waits for them)", async ({ page }) => {
  host = new HeadlessHost();
  await host.start();
  // A model that fails the key's turn (a bad request), then, retried, asks to write a file.
  const model = await listenFakeOpenAiServer(['e2e-model']);
  try {
    await host.useLocalModel(model.baseUrl);
    model.reply({ status: 400, body: '{"error":{"message":"the model is loading"}}' }, { sse: [chunk.toolStart(0, 'call_1', 'fs__write'), chunk.toolArgs(0, '{"path":"k.txt","content":"hi"}'), chunk.finish('tool_calls')] });
    await page.goto(host.url);
    const script = await host.createScriptKey('nightly', ['chat']);
    const conversationId = (await host.api('conversations.create', {})).output.id as string;
    expect((await script.api('chat.send', { conversationId, text: 'write k.txt' })).ok).toBe(true);
    await page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation-row').first().click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByRole('button', { name: 'Retry' }).click();

    await expect(page.getByRole('heading', { name: 'Portcullis is waiting for your approval' })).toBeVisible();
    const dialog = page.getByRole('dialog', { name: 'Write 2 characters to k.txt' });
    await expect(dialog.getByTestId('approval-sent-by')).toHaveText('Local API (key "nightly"), not you');
    await expect(dialog.getByTestId('approval-retried-by')).toHaveText('you');
    await expect(log.locator('.message-user').last().locator('.message-role')).toHaveText('Local API (key "nightly")');
    await dialog.getByRole('button', { name: 'Deny' }).click();
  } finally {
    await model.close();
  }
});
