import { expect, test } from '@playwright/test';
import { chunk, listenFakeOpenAiServer, type FakeOpenAiServer } from '../helpers/openai-chat-server';
import { seriousViolations } from './axe';
import { finalReply, send, startWithEverything } from './chat-page';
import { HeadlessHost } from './headless-host';

// server-everything's tool asks the client's model to answer its prompt (MCP sampling) and returns the answer.
const TOOL = 'everything.trigger-sampling-request';

let host: HeadlessHost;
let model: FakeOpenAiServer;

test.afterEach(async () => {
  await host?.stop();
  await model?.close();
});

test('a server asks to use the model: the person reads all it would send, lets it run, and the server gets the words', async ({ page }) => {
  model = await listenFakeOpenAiServer(['e2e-model']);
  model.reply(
    // The turn's model calls the tool; the server then asks for the model's words; the turn ends.
    { sse: [chunk.toolStart(0, 'call_1', 'everything__trigger-sampling-request'), chunk.toolArgs(0, '{"prompt":"name a river"}'), chunk.finish('tool_calls')] },
    { sse: [chunk.text('The Danube.'), chunk.finish('stop')] },
    { sse: [chunk.text('The server heard about the Danube.'), chunk.finish('stop')] },
  );
  host = new HeadlessHost();
  await startWithEverything(page, host, TOOL);
  await host.useLocalModel(model.baseUrl);

  await send(page, 'ask the test server for a river');
  await page.getByTestId('approval').getByRole('button', { name: 'Allow once' }).click();
  const dialog = page.getByRole('dialog', { name: 'everything asks to use your model' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('elicitation-context')).toContainText(`Asked while running ${TOOL}.`);
  const request = dialog.getByTestId('sampling-request');
  await expect(request).toContainText(`Model: e2e-model on ${model.baseUrl} · at most 100 tokens · no tools, nothing of your conversations`);
  await expect(request.getByRole('figure', { name: 'System prompt' })).toContainText('You are a helpful test server.');
  await expect(request.getByRole('figure', { name: 'Message' })).toContainText('Resource trigger-sampling-request context: name a river');
  await expect(dialog.getByTestId('elicitation-warning')).toHaveText(
    'The model reads only what is shown above, and what it writes goes to the everything server. A hosted model counts the tokens to your account.',
  );
  expect(await seriousViolations(page, '[data-testid="elicitation"]')).toEqual([]);
  expect(model.requests).toHaveLength(1); // only the turn's own step: nothing was sent for the server yet

  await dialog.getByRole('button', { name: 'Send to the model' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(finalReply(page)).toContainText('The server heard about the Danube.');
  const card = page.getByTestId('tool-call').last();
  await card.locator('.tool-details summary').click();
  await expect(card.locator('.tool-details')).toContainText('The Danube.');
  expect(model.requests[1]!.messages).toEqual([
    { role: 'system', content: 'You are a helpful test server.' },
    { role: 'user', content: 'Resource trigger-sampling-request context: name a river' },
  ]);
});
