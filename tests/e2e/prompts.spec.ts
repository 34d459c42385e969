import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { seriousViolations } from './axe';
import { startWithEverything, waitForServer, watchRequests } from './chat-page';
import { HeadlessHost } from './headless-host';

// server-everything offers four prompts, in this order: "Simple Prompt" (no arguments), "Arguments Prompt" (city
// required, state optional), "Team Management" and "Resource Prompt" (a resource embedded).
let host: HeadlessHost;

test.afterEach(async ({ page: _page }, info) => {
  // One run in CI lost its host mid-test ("Disconnected from Portcullis"): its output says why, next time.
  if (info.status !== info.expectedStatus && host) await info.attach('portcullis serve output', { body: host.log(), contentType: 'text/plain' });
  await host?.stop();
});

test("a / in the message box lists the servers' prompts; the one picked is filled in, put in the box with whose it is, and sent only when the person sends it", async ({ page }) => {
  const sends = watchRequests(page, 'chat.send');
  host = new HeadlessHost();
  await startWithEverything(page, host, 'everything.echo');
  const box = page.getByRole('textbox', { name: 'Message' });

  await box.fill('/');
  const list = page.getByRole('listbox', { name: 'MCP prompts and resources' });
  await expect(list.getByRole('option', { name: /Arguments Prompt from everything/ })).toBeVisible();
  expect(await seriousViolations(page, '.composer')).toEqual([]);

  // Typing narrows the list; the keyboard stays in the box (↓ moves, Enter picks).
  await box.fill('/resource');
  await expect(list.getByRole('option')).toHaveText([/^Resource Prompt from everything/]);
  await box.fill('/');
  await expect(list.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await expect(list.getByRole('option').nth(1)).toContainText('Arguments Prompt');
  await box.press('ArrowDown');
  await expect(list.getByRole('option', { selected: true })).toContainText('Arguments Prompt');
  await box.press('Enter');

  const form = page.getByTestId('prompt-form');
  const city = form.getByRole('textbox', { name: 'city (required)' });
  await expect(city).toBeFocused();
  expect(await seriousViolations(page, '.composer')).toEqual([]);
  await city.fill('Lyon');
  await city.press('Enter');

  await expect(box).toHaveValue("What's weather in Lyon?");
  await expect(box).toBeFocused();
  await expect(page.getByTestId('composer-source')).toHaveText(/From the everything server's prompt “Arguments Prompt”\. Read it before you send it/);
  await expect(page.getByTestId('message')).toHaveCount(0); // nothing sent yet

  await box.press('Enter');
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveText(/What's weather in Lyon\?/);
  await expect(page.getByTestId('composer-source')).toHaveCount(0);
  // Sent with where it came from, so the conversation counts as holding the server's words.
  expect(sends).toHaveLength(1);
  expect(JSON.parse(sends[0]!)).toMatchObject({ channel: 'chat.send', input: { text: "What's weather in Lyon?", prompt: { server: 'everything', name: 'args-prompt' } } });
});

test('Esc closes the list and then cancels a prompt being filled in; the server suggests values; a required argument left empty is asked for', async ({ page }) => {
  host = new HeadlessHost();
  await startWithEverything(page, host, 'everything.echo');
  const box = page.getByRole('textbox', { name: 'Message' });

  await box.fill('/args');
  await expect(page.getByRole('option', { name: /Arguments Prompt/ })).toBeVisible();
  await box.press('Escape');
  await expect(page.getByTestId('prompt-picker')).toHaveCount(0);
  await expect(box).toHaveValue('/args');

  await box.fill('/simple');
  await expect(page.getByRole('option', { name: /Simple Prompt/ })).toBeVisible();
  await box.press('Tab');
  const form = page.getByTestId('prompt-form');
  await expect(form.getByRole('button', { name: 'Insert' })).toBeFocused(); // no arguments: Enter inserts
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(box).toHaveValue('/simple');
  await expect(box).toBeFocused();

  // The server suggests values as an argument is typed.
  await box.fill('/resource');
  await expect(page.getByRole('option', { name: /Resource Prompt/ })).toBeVisible();
  await box.press('Enter');
  await form.getByRole('textbox', { name: 'resourceType (required)' }).fill('B');
  await expect(form.getByTestId('suggestions-resourceType').locator('option')).toHaveAttribute('value', 'Blob');
  await form.getByRole('button', { name: 'Cancel' }).click();

  await box.fill('/args');
  await expect(page.getByRole('option', { name: /Arguments Prompt/ })).toBeVisible();
  await box.press('Enter');
  await form.getByRole('button', { name: 'Insert' }).click();
  await expect(form.getByRole('textbox', { name: 'city (required)' })).toHaveJSProperty('validity.valueMissing', true);
  await expect(box).toHaveValue('/args'); // nothing was asked of the server
});

test("a prompt its server sends after Cancel is dropped, not put in the box", async ({ page }) => {
  host = new HeadlessHost();
  const log = join(host.dataDir, 'chaos.log');
  writeMcpConfig(host.dataDir, { slow: { command: process.execPath, args: [chaosServer, '--prompts', 'leaky', '--prompt-delay', '1500', '--log', log], sandbox: false } });
  await host.start();
  await page.goto(host.url);
  await waitForServer(page, 'slow');
  const box = page.getByRole('textbox', { name: 'Message' });

  await box.fill('/leaky');
  await expect(page.getByRole('option', { name: /leaky from slow/ })).toBeVisible();
  await box.press('Enter');
  const form = page.getByTestId('prompt-form');
  await form.getByRole('textbox', { name: 'topic (required)' }).fill('gateways');
  await form.getByRole('button', { name: 'Insert' }).click();
  await expect(form.getByRole('button', { name: 'Inserting…' })).toBeDisabled();
  await form.getByRole('button', { name: 'Cancel' }).click();

  await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : '')).toContain('prompt answered');
  await page.waitForTimeout(500); // the answer's way back to the page
  await expect(box).toHaveValue('/leaky');
  await expect(page.getByTestId('composer-source')).toHaveCount(0);
});

test('a key pressed just as a resource arrives is added to the box with the resource in it, not in place of it', async ({ page }) => {
  // The page types "!" in the box as the answer to resources.read arrives: after the app took the answer (its
  // promises settle first) and before React's next render, as a key of a person typing then would land.
  await page.addInitScript(() => {
    const reads = new Set<number>();
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      const frame = typeof data === 'string' ? (JSON.parse(data) as { id?: number; channel?: string }) : {};
      if (frame.channel === 'resources.read' && frame.id !== undefined) reads.add(frame.id);
      return send.call(this, data);
    };
    const listen = WebSocket.prototype.addEventListener;
    WebSocket.prototype.addEventListener = function (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) {
      if (type !== 'message' || typeof listener !== 'function') return listen.call(this, type, listener, options);
      return listen.call(this, type, (event: Event) => {
        listener.call(this, event);
        const frame = JSON.parse(String((event as MessageEvent).data)) as { type?: string; id?: number };
        if (frame.type !== 'response' || frame.id === undefined || !reads.delete(frame.id)) return;
        void (async () => {
          for (let i = 0; i < 200; i++) await Promise.resolve();
          const box = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')!;
          Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(box, `${box.value}!`);
          box.dispatchEvent(new Event('input', { bubbles: true }));
        })();
      }, options);
    };
  });
  host = new HeadlessHost();
  await startWithEverything(page, host, 'everything.echo');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.pressSequentially('See @architec');
  await expect(page.getByRole('listbox', { name: 'MCP resources' }).getByRole('option')).toHaveText([/^architecture\.md resource from everything/]);
  await box.press('Enter');
  await page.getByRole('form', { name: 'Resource architecture.md from everything' }).getByRole('button', { name: 'Insert' }).click();
  await expect(box).toHaveValue(/^See \n\[resource demo:\/\/resource\/static\/document\/architecture\.md \(text\/markdown\)\]\n# Everything Server – Architecture[\s\S]*\n!$/);
});

test('what is typed while a slow server answers is kept, after the prompt put in', async ({ page }) => {
  host = new HeadlessHost();
  writeMcpConfig(host.dataDir, { slow: { command: process.execPath, args: [chaosServer, '--prompts', 'leaky', '--prompt-delay', '1500'], sandbox: false } });
  await host.start();
  await page.goto(host.url);
  await waitForServer(page, 'slow');
  const box = page.getByRole('textbox', { name: 'Message' });

  await box.fill('/leaky');
  await box.press('Enter');
  const form = page.getByTestId('prompt-form');
  await form.getByRole('textbox', { name: 'topic (required)' }).fill('gateways');
  await form.getByRole('button', { name: 'Insert' }).click();
  await expect(form.getByRole('button', { name: 'Inserting…' })).toBeDisabled();
  await box.press('End');
  await box.pressSequentially(' in short');
  await expect(form).toHaveCount(0, { timeout: 5000 });
  await expect(box).toHaveValue(/^[\s\S]*Tell me about gateways\.[\s\S]* in short$/);
  await expect(box).toBeFocused();
});

test("a server's resource is in the / list too: picked, its text is put in the box with whose it is, and sent with it the conversation holds the server's words", async ({ page }) => {
  const sends = watchRequests(page, 'chat.send');
  host = new HeadlessHost();
  await startWithEverything(page, host, 'everything.echo');
  const box = page.getByRole('textbox', { name: 'Message' });

  await box.fill('/architec');
  const list = page.getByRole('listbox', { name: 'MCP prompts and resources' });
  await expect(list.getByRole('option')).toHaveText([/^architecture\.md resource from everything/]);
  await box.press('Enter');
  const form = page.getByRole('form', { name: 'Resource architecture.md from everything' });
  await expect(form).toContainText('demo://resource/static/document/architecture.md');
  await expect(form.getByRole('button', { name: 'Insert' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(box).toHaveValue(/^\[resource demo:\/\/resource\/static\/document\/architecture\.md \(text\/markdown\)\]\n# Everything Server – Architecture/);
  await expect(page.getByTestId('composer-source')).toHaveText(/From the everything server's resource “architecture\.md”\. Read it before you send it/);

  // The person adds their question and sends: the message carries the resource, and what could send data out now asks.
  await box.press('Control+End');
  await box.press('Shift+Enter');
  await box.pressSequentially('Summarize this.');
  await box.press('Enter');
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toContainText(/# Everything Server – Architecture[\s\S]*Summarize this\.$/);
  expect(sends).toHaveLength(1);
  expect(JSON.parse(sends[0]!)).toMatchObject({ channel: 'chat.send', input: { resources: [{ server: 'everything', uri: 'demo://resource/static/document/architecture.md' }] } });
});

test('@ puts a resource in at the cursor, between the words typed around it, and each one put in is sent with the message', async ({ page }) => {
  const sends = watchRequests(page, 'chat.send');
  host = new HeadlessHost();
  await startWithEverything(page, host, 'everything.echo');
  const box = page.getByRole('textbox', { name: 'Message' });

  // A mail address does not open the list; an @ after a space does, with resources only.
  await box.pressSequentially('Write to me@example.org about ');
  await expect(page.getByTestId('prompt-picker')).toHaveCount(0);
  await box.pressSequentially('@architec');
  const list = page.getByRole('listbox', { name: 'MCP resources' });
  await expect(list.getByRole('option')).toHaveText([/^architecture\.md resource from everything/]);
  await box.press('Enter');
  await page.getByRole('form', { name: 'Resource architecture.md from everything' }).getByRole('button', { name: 'Insert' }).click();
  await expect(box).toBeFocused();
  // The cursor is after the inserted text: what is typed next follows it.
  await box.pressSequentially('and @extens');
  await expect(page.getByRole('listbox', { name: 'MCP resources' }).getByRole('option')).toHaveText([/^extension\.md resource from everything/]);
  await box.press('Enter');
  await page.getByRole('form', { name: 'Resource extension.md from everything' }).getByRole('button', { name: 'Insert' }).click();
  await expect(box).toBeFocused(); // it is in: what is typed now follows it, not the `@extens` it replaces
  await box.pressSequentially('please.');
  await expect(box).toHaveValue(
    /^Write to me@example\.org about \n\[resource demo:\/\/resource\/static\/document\/architecture\.md \(text\/markdown\)\]\n# Everything Server – Architecture[\s\S]*\nand \n\[resource demo:\/\/resource\/static\/document\/extension\.md \(text\/markdown\)\]\n[\s\S]*\nplease\.$/,
  );
  await expect(page.getByTestId('composer-source')).toHaveText(
    /^From the everything server's resource “architecture\.md” and the everything server's resource “extension\.md”\. Read them before you send them/,
  );
  await box.press('Enter');
  await expect.poll(() => sends.length).toBe(1);
  expect(JSON.parse(sends[0]!)).toMatchObject({
    channel: 'chat.send',
    input: {
      resources: [
        { server: 'everything', uri: 'demo://resource/static/document/architecture.md' },
        { server: 'everything', uri: 'demo://resource/static/document/extension.md' },
      ],
    },
  });
});
