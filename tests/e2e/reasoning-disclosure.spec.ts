import { expect, test } from '@playwright/test';
import { chunk, listenFakeOpenAiServer, type FakeOpenAiServer } from '../helpers/openai-chat-server';
import { seriousViolations } from './axe';
import { send } from './chat-page';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;
let model: FakeOpenAiServer;

test.afterEach(async () => {
  await host?.stop();
  await model?.close();
});

test('A reasoning model\'s <think> block is folded under "Thought for N s" above its answer, opened with the keyboard; a reply of thinking alone says there was no answer', async ({ page }) => {
  model = await listenFakeOpenAiServer(['e2e-model']);
  model.reply(
    { sse: [chunk.text('<think>The person says hi.'), chunk.text(' I will greet them.</think>\n\nHello!'), chunk.finish('stop')] },
    { sse: [chunk.text('<think>Hmm, what to say'), chunk.finish('stop')] },
    { hang: true, first: chunk.text('<think>Pondering at length') },
  );
  host = new HeadlessHost();
  await host.start();
  await host.useLocalModel(model.baseUrl);
  await page.goto(host.url);

  await send(page, 'hi');
  const answer = page.locator('[data-testid="message"][data-answer="true"]').last();
  await expect(answer.locator('.message-body')).toHaveText('Hello!');
  const reasoning = answer.getByTestId('reasoning');
  const summary = reasoning.locator('summary');
  await expect(summary).toHaveText(/^Thought for \d+ s$/);
  // Folded: its words are there to open, not read as the answer.
  await expect(reasoning.getByText('The person says hi. I will greet them.')).toBeHidden();
  await expect(answer).not.toContainText('<think>');
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(reasoning.getByText('The person says hi. I will greet them.')).toBeVisible();
  expect(await seriousViolations(page, '[data-testid="reasoning"]')).toEqual([]);

  await send(page, 'and?');
  const last = page.locator('[data-testid="message"][data-answer="true"]').last();
  await expect(last.getByTestId('empty-answer')).toHaveText('The model thought but gave no answer.');
  await expect(last.getByTestId('reasoning').locator('summary')).toHaveText(/^Thought for \d+ s$/);

  // After a reload, read from the conversation's record.
  await page.reload();
  await expect(page.getByTestId('reasoning')).toHaveCount(2);

  // While it thinks, the chat says so (not "Waiting for the model…"), and Esc still stops it.
  await send(page, 'think hard');
  await expect(page.getByTestId('thinking-now')).toHaveText('Thinking…');
  await expect(page.getByTestId('turn-status')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('thinking-now')).toHaveCount(0);
});

test('A model that writes only the closing </think> (its template put the opening in the prompt): what streamed as its answer is taken back as thinking once the close comes, and folded above the answer', async ({ page }) => {
  model = await listenFakeOpenAiServer(['e2e-model']);
  const thought = 'Okay, the person says hi. A simple greeting: nothing to look up, no tool to call. I will greet them back.';
  model.reply({ slow: [chunk.text(`${thought}\n`), chunk.text('</think>\n\n'), chunk.text('Hello there!'), chunk.finish('stop')], everyMs: 1_500 });
  host = new HeadlessHost();
  await host.start();
  await host.useLocalModel(model.baseUrl);
  await page.goto(host.url);

  await send(page, 'hi');
  const streaming = page.locator('[data-testid="message"][data-streaming="true"]');
  // Nothing tells it apart before the close: it streams as an answer would.
  await expect(streaming).toContainText('Okay, the person says hi.');
  // The close came: taken back, and the chat says it is thinking (since its first words: its count may have begun).
  await expect(page.getByTestId('thinking-now')).toHaveText(/^Thinking…( \d+ s)?$/);
  await expect(streaming).not.toContainText('Okay, the person says hi.');
  const answer = page.locator('[data-testid="message"][data-answer="true"]').last();
  await expect(answer.locator('.message-body')).toHaveText('Hello there!');
  const reasoning = answer.getByTestId('reasoning');
  await expect(reasoning.locator('summary')).toHaveText(/^Thought for \d+ s$/);
  await expect(reasoning.getByText(thought)).toBeHidden();
  await expect(answer).not.toContainText('</think>');
});
