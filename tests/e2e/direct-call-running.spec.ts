import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect, test, type Page } from '@playwright/test';
import { seriousViolations } from './axe';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

/** The page open on a fresh host, and a script holding a key of the `chat` scope named `name`. */
async function openWithScript(page: Page, name: string) {
  host = new HeadlessHost();
  await host.start();
  await page.goto(host.url);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  return host.createScriptKey(name, ['chat']);
}

test("a script's call waiting for the person shows its conversation running (the sidebar's dot, Stop) until it ends", async ({ page }) => {
  const script = await openWithScript(page, 'nightly backup');
  // The key's calls of the day share one conversation, titled by the key and the day.
  const title = `nightly backup · API key · ${new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}`;
  const rows = page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation-row');

  const stopped = script.callTool('fs.write', { path: 'a.txt', content: 'a' });
  const dialog = page.getByRole('dialog', { name: 'Write 1 character to a.txt' });
  await expect(dialog).toBeVisible();
  // It is the script that waits for the answer, not Portcullis: the heading and the request say so, and a note with
  // a denial goes back to it.
  await expect(page.getByRole('heading', { name: 'Local API (key "nightly backup") is waiting for your approval' })).toBeVisible();
  await expect(dialog.getByTestId('approval-requested-by')).toHaveText('Local API (key "nightly backup")');
  await expect(dialog.getByRole('textbox', { name: 'Note to Local API (key "nightly backup")' })).toBeVisible();
  // Not opened yet, its row says it runs, as a turn of the person's would.
  await expect(rows.filter({ hasText: title }).getByRole('img', { name: 'working' })).toBeVisible();
  await dialog.getByRole('button', { name: `Open ${title}`, exact: true }).click();
  // Opened, it can be stopped as a turn is: Stop cancels the call, and the script is told so.
  await page.getByRole('button', { name: 'Stop' }).click();
  expect((await stopped).output).toMatchObject({ outcome: 'denied', error: { code: 'TURN_STOPPED' } });
  await expect(dialog).toHaveCount(0);
  await expect(rows.getByRole('img', { name: 'working' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByTestId('tool-call')).toHaveAttribute('data-status', 'denied');

  // Answered, it runs and ends: the dot goes once it has.
  const allowed = script.callTool('fs.write', { path: 'b.txt', content: 'b' });
  const second = page.getByRole('dialog', { name: 'Write 1 character to b.txt' });
  await expect(second).toBeVisible();
  await expect(rows.getByRole('img', { name: 'working' })).toHaveCount(1);
  await second.getByRole('button', { name: 'Allow once' }).click();
  expect((await allowed).output).toMatchObject({ outcome: 'ok', approval: 'approved' });
  await expect(rows.getByRole('img', { name: 'working' })).toHaveCount(0);
});

test("an MCP client's next call in its session's conversation, open on the page, shows its request above its approval, saying who waits", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  host = new HeadlessHost();
  await host.start();
  await page.goto(host.url);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  const { key } = await host.createScriptKey('cursor', ['tools']);
  const client = new Client({ name: 'Cursor', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${host.origin}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  try {
    const first = client.callTool({ name: 'fs_write', arguments: { path: 'a.txt', content: 'a' } });
    await expect(page.getByRole('heading', { name: 'Cursor (MCP) is waiting for your approval' })).toBeVisible();
    const dialog = page.getByRole('dialog', { name: 'Write 1 character to a.txt' });
    await dialog.getByRole('button', { name: /^Open Cursor/ }).click();
    await dialog.getByRole('button', { name: 'Allow once' }).click();
    expect(((await first) as CallToolResult).isError).toBeFalsy();

    // Its next call, while its conversation is open: its request shows as it waits, not only once it has ended.
    const log = page.getByRole('log', { name: 'Messages' });
    const second = client.callTool({ name: 'fs_write', arguments: { path: 'b.txt', content: 'b' } });
    await expect(page.getByRole('dialog', { name: 'Write 1 character to b.txt' })).toBeVisible();
    await expect(log.locator('[data-direct-call="true"]')).toHaveCount(2);
    await expect(log.locator('[data-direct-call="true"]').last()).toContainText('b.txt');
    await expect(log.getByTestId('turn-status')).toHaveText('Waiting for your approval below…');
    // The message box says whose call it is, not that the agent works.
    await expect(page.getByText('A call Cursor (MCP) made is under way here: Enter sends once it ends · Esc cancels it')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('mcp-call-waiting-1400x900.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: test.info().outputPath('mcp-call-waiting-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 700, height: 700 });
    // The window made smaller keeps the conversation at its newest end: the request that waits stays in sight.
    await expect(log.locator('[data-direct-call="true"]').last()).toBeInViewport();
    await expect(log.getByTestId('turn-status')).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath('mcp-call-waiting-700x700.png') });
    await page.getByRole('textbox', { name: 'Note to Cursor (MCP)' }).fill('not now');
    await page.getByRole('dialog', { name: 'Write 1 character to b.txt' }).getByRole('button', { name: 'Deny' }).click();
    const denied = (await second) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(JSON.stringify(denied.content)).toContain('not now');
    await expect(log.getByTestId('turn-status')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  } finally {
    await client.close();
  }
});

test("a page loaded while a script's call waits shows its row running before it is opened", async ({ page }) => {
  host = new HeadlessHost();
  await host.start();
  const script = await host.createScriptKey('nightly backup', ['chat']);
  const call = script.callTool('fs.write', { path: 'a.txt', content: 'a' });
  await expect.poll(async () => ((await host.api('approvals.pending', {})).output as unknown as unknown[]).length).toBe(1);

  await page.goto(host.url);
  const row = page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation-row').filter({ hasText: 'nightly backup · API key · ' });
  await expect(row.getByRole('img', { name: 'working' })).toBeVisible();
  await page.getByRole('dialog', { name: 'Write 1 character to a.txt' }).getByRole('button', { name: 'Deny' }).click();
  expect((await call).output).toMatchObject({ outcome: 'denied' });
  await expect(row.getByRole('img', { name: 'working' })).toHaveCount(0);
});
