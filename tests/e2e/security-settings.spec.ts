import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const root = resolve(__dirname, '..', '..');
const cli = join(root, 'bin', 'portcullis.mjs');
const withKeyring = join(root, 'scripts', 'with-keyring.sh');
const hasSecretService = ['/usr/bin/dbus-run-session', '/usr/bin/gnome-keyring-daemon'].every((bin) => existsSync(bin));

/** `portcullis serve`, optionally inside a private keyring session; its own process group so stop ends all of it. */
class Host {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'portcullis-e2e-security-'));
  private child: ChildProcess | null = null;
  url = '';
  log = '';

  async start(options: { keyring: boolean; env?: NodeJS.ProcessEnv }): Promise<void> {
    const command = options.keyring ? [withKeyring, process.execPath, cli] : [process.execPath, cli];
    const child = spawn(command[0]!, [...command.slice(1), 'serve', '--data-dir', this.dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, ...options.env },
    });
    this.child = child;
    this.url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`portcullis serve did not start:\n${this.log}`)), 20_000);
      const onData = (chunk: Buffer): void => {
        this.log += chunk.toString();
        const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(this.log);
        if (match) {
          clearTimeout(timer);
          done(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    });
  }

  get origin(): string {
    return new URL(this.url).origin;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.pid) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

let host: Host;
test.afterEach(async () => {
  await host.stop();
});

async function callApi(origin: string, channel: string, key: string): Promise<number> {
  const response = await fetch(`${origin}/api/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: '{}',
  });
  return response.status;
}

/** Settings → Local API keys makes a key of the `tools` scope limited to `tools`; the panel and the key shown once. */
async function createToolsKey(page: Page, name: string, tools: string) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Local API keys' });
  await panel.getByLabel('Name').fill(name);
  await panel.getByRole('checkbox', { name: /^chat/ }).uncheck();
  await panel.getByRole('checkbox', { name: /^tools/ }).check();
  await panel.getByLabel('Only these tools (optional)').fill(tools);
  await panel.getByRole('button', { name: 'Create key' }).click();
  return { panel, key: (await panel.getByTestId('new-api-key').locator('code').textContent())!.trim() };
}

/** One tools.call of the local API as a script holding `key` makes it. */
async function callTool(key: string, name: string, args: Record<string, unknown>): Promise<{ ok: boolean; error?: { message: string } }> {
  const response = await fetch(`${host.origin}/api/tools.call`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, arguments: args }),
  });
  return (await response.json()) as { ok: boolean; error?: { message: string } };
}

test('Settings creates an API key shown once, which works until it is revoked', async ({ page }) => {
  host = new Host();
  await host.start({ keyring: false });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Local API keys' });
  await panel.getByLabel('Name').fill('e2e script');
  // No scope is ticked for the person: one for an MCP client needs only tools, and chat also reads the conversations.
  for (const scope of await panel.getByRole('checkbox').all()) await expect(scope).not.toBeChecked();
  await expect(panel.getByRole('button', { name: 'Create key' })).toBeDisabled();
  await expect(panel.getByRole('group', { name: 'Scopes' })).toHaveAccessibleDescription(/tools alone for an MCP client/);
  await panel.getByRole('checkbox', { name: /^chat/ }).check();
  await panel.getByRole('button', { name: 'Create key' }).click();
  const shown = panel.getByTestId('new-api-key');
  await expect(shown).toContainText('will not be shown again');
  const key = (await shown.locator('code').textContent())!.trim();
  expect(key).toMatch(/^pck_/);
  expect(await callApi(host.origin, 'conversations.list', key)).toBe(200);
  expect(await callApi(host.origin, 'approvals.pending', key)).toBe(403);

  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(panel.getByTestId('api-keys-list')).toContainText('e2e script');
  await expect(page.locator('body')).not.toContainText(key.slice(21));
  await panel.getByRole('button', { name: 'Revoke e2e script' }).click();
  await expect(panel.getByTestId('api-keys-list')).toContainText('revoked');
  expect(await callApi(host.origin, 'conversations.list', key)).toBe(401);
  expect(host.log).not.toContain(key.slice(21));
  // The next key starts from no scope again, not from the last one's.
  await expect(panel.getByRole('checkbox', { name: /^chat/ })).not.toBeChecked();
});

test('Settings creates a key limited to certain tools, shows its tools, and the key calls only those', async ({ page }) => {
  host = new Host();
  await host.start({ keyring: false });
  await page.goto(host.url);
  const { panel, key } = await createToolsKey(page, 'Cursor', 'fs.read, fs.list');
  await expect(panel.getByTestId('api-keys-list')).toContainText('tools · only fs.read, fs.list');
  expect((await callTool(key, 'fs.write', { path: 'x.txt', content: 'x' })).error?.message).toContain('fs.write is not among the tools key "Cursor" may call (fs.read, fs.list)');
  // A tool list with the chat scope would not hold (a chat turn calls any tool): refused, saying why.
  await panel.getByLabel('Name').fill('Chatty');
  await panel.getByRole('checkbox', { name: /^chat/ }).check();
  await panel.getByLabel('Only these tools (optional)').fill('fs.read');
  await panel.getByRole('button', { name: 'Create key' }).click();
  await expect(panel.getByRole('alert')).toContainText('cannot also have the "chat" scope');
});

test("Settings changes a key's tools and scopes in place, and the key holds to them at its next request", async ({ page }) => {
  host = new Host();
  await host.start({ keyring: false });
  await page.goto(host.url);
  const { panel, key } = await createToolsKey(page, 'Cursor', 'fs.read');
  const list = () => callTool(key, 'fs.list', { path: '.' });
  expect((await list()).error?.message).toContain('fs.list is not among the tools key "Cursor" may call (fs.read)');

  await panel.getByRole('button', { name: 'Change Cursor' }).click();
  const editor = panel.getByRole('form', { name: 'Change key Cursor' });
  await expect(editor.getByLabel('Only these tools')).toHaveValue('fs.read');
  await editor.getByLabel('Only these tools').fill('fs.read, fs.list');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('api-keys-list')).toContainText('tools · only fs.read, fs.list');
  expect(await list()).toMatchObject({ ok: true });

  // The same rules as a new key's: a tool list with chat is refused, saying why, and nothing changes.
  await panel.getByRole('button', { name: 'Change Cursor' }).click();
  await editor.getByRole('checkbox', { name: /^chat/ }).check();
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor.getByRole('alert')).toContainText('cannot also have the "chat" scope');
  await editor.getByRole('checkbox', { name: /^chat/ }).uncheck();
  await editor.getByLabel('Only these tools').fill('');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('api-keys-list')).toContainText('tools · all tools');
  await expect(editor).toHaveCount(0);
});

test("served by portcullis serve, Settings says its local API is on at the page's address; the switch is the desktop app's", async ({ page }) => {
  host = new Host();
  await host.start({ keyring: false });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('served-api')).toHaveText(
    `This page comes from portcullis serve, whose local API is on already, at this page's address: ${host.origin}/api, and MCP clients at ${host.origin}/mcp. The setting below is the desktop app's.`,
  );
  const section = page.getByRole('region', { name: 'Local API (desktop app)' });
  await expect(section.getByRole('status')).toHaveText('Off in the desktop app.');
  // Turned on here, it is the desktop app's to start: not "Starting…" for ever.
  await section.getByRole('checkbox', { name: 'Enable the local API' }).click();
  await expect(section.getByRole('status')).toHaveText('On in the desktop app: it listens on this port while the app runs.');
});

test('without a keychain, Settings says so and how to fix it', async ({ page }) => {
  host = new Host();
  await host.start({ keyring: false, env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(tmpdir(), 'portcullis-no-bus')}` } });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const problem = page.getByTestId('keychain-problem');
  // One short line says what it means; the setup steps are a click away, not a paragraph of red text.
  await expect(problem.getByRole('alert')).toHaveText('No OS keychain is available here, so secrets (model API keys, MCP credentials) cannot be stored; everything that needs none still works.');
  const fix = problem.getByText(/gnome-keyring/);
  await expect(fix).toBeHidden();
  await problem.getByText('Why, and how to set one up').click();
  await expect(fix).toBeVisible();
  await expect(page.getByTestId('secrets-list')).toContainText('not set');
  // A hosted API's key would be refused only at Save: its card says so before one is pasted.
  const model = page.getByTestId('model-settings');
  await model.getByLabel(/Anthropic/).check();
  await expect(model.getByTestId('no-keychain-for-key')).toContainText('No OS keychain is available here, so an API key cannot be stored');
  await model.getByLabel(/Built-in/).check();
  await expect(model.getByTestId('no-keychain-for-key')).toHaveCount(0);
});

test('with a keychain, a secret can be set, replaced and removed; the page only ever shows set / not set', async ({ page }) => {
  test.skip(!hasSecretService, 'skipped because this machine has no dbus-run-session or gnome-keyring-daemon');
  host = new Host();
  await host.start({ keyring: true });
  const canary = `CANARY-${Date.now().toString(36)}-e2e-secret`;
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Secrets' });
  const row = panel.getByTestId('secrets-list').locator('li', { hasText: 'provider.openai' }).first();
  await expect(row).toContainText('not set');
  await panel.getByLabel('Value').fill(canary);
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('set');
  await expect(row).not.toContainText('not set');
  await expect(panel.getByLabel('Value')).toHaveValue('');
  await panel.getByLabel('Value').fill(`${canary}-2`);
  await panel.getByRole('button', { name: 'Replace' }).click();
  await expect(panel.getByRole('status').first()).toContainText('provider.openai is set.');
  expect(await page.content()).not.toContain(canary);
  await panel.getByRole('button', { name: 'Remove provider.openai' }).click();
  await expect(row).toContainText('not set');
  expect(host.log).not.toContain(canary);
});

test('an "Always allow" rule whose pattern held a value saved later as a secret shows masked and off on the Policies page; a new one holding it is refused in the dialog', async ({ page }) => {
  test.skip(!hasSecretService, 'skipped because this machine has no dbus-run-session or gnome-keyring-daemon');
  host = new Host();
  await host.start({ keyring: true });
  const canary = `zq${Date.now().toString(36)}canary`;
  await page.goto(host.url);
  const send = async (text: string): Promise<void> => {
    await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  };
  // A rule made while the value was not a secret yet: its pattern holds it.
  await send(`write notes/${canary}.md with one`);
  const first = page.getByRole('dialog', { name: `Write 3 characters to notes/${canary}.md` });
  await first.getByRole('button', { name: 'Always allow…' }).click();
  await first.getByRole('button', { name: 'Save rule and allow' }).click();
  await expect(first).toBeHidden();

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const secrets = page.getByRole('region', { name: 'Secrets' });
  await secrets.getByLabel('Name').fill('deploy.token');
  await secrets.getByLabel('Value').fill(canary);
  await secrets.getByRole('button', { name: 'Save' }).click();
  await expect(secrets.getByRole('status').first()).toContainText('deploy.token is set.');
  await page.getByRole('button', { name: 'Close settings' }).click();

  // The scrub runs in the background: the page shows the rule masked and off once it has.
  const rule = page.getByTestId('user-rule');
  await expect(async () => {
    await page.getByRole('button', { name: 'Policies', exact: true }).click();
    await expect(rule.getByTestId('user-rule-disabled')).toContainText('Turned off: its pattern held the value of a secret', { timeout: 500 });
    await page.getByRole('button', { name: 'Policies', exact: true }).click();
  }).toPass({ timeout: 10_000 });
  // Loaded afresh (a page open during a scrub keeps what it showed), nothing on it holds the value.
  await page.reload();
  await page.getByRole('button', { name: 'Policies', exact: true }).click();
  await expect(rule).toContainText('notes/[REDACTED:secret].md');
  await expect(rule).toContainText('Off ·');
  expect(await page.content()).not.toContain(canary);
  await page.getByRole('button', { name: 'Policies', exact: true }).click();

  // A new rule with the value typed into its pattern: the dialog says why it is not saved, and the call still waits.
  await send('write notes/b.md with two');
  const second = page.getByRole('dialog', { name: 'Write 3 characters to notes/b.md' });
  await second.getByRole('button', { name: 'Always allow…' }).click();
  await second.getByRole('textbox', { name: 'Argument pattern (JSON)' }).fill(JSON.stringify({ path: { regex: `notes/(b|${canary})\\.md` } }));
  await second.getByRole('button', { name: 'Save rule and allow' }).click();
  await expect(second.getByRole('alert')).toContainText('This rule is not saved: its pattern holds the value of a secret stored in your keychain');
  await second.getByRole('button', { name: 'Allow once' }).click();
  await expect(second).toBeHidden();
  expect(host.log).not.toContain(canary);
});
