import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { finalReply, send, startWithEverything } from './chat-page';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

test('an MCP result shows as what it is: its text, its image drawn, and the JSON behind it on request', async ({ page }) => {
  host = new HeadlessHost();
  await startWithEverything(page, host, 'everything.get-tiny-image');
  await send(page, 'everything.get-tiny-image {}');
  // The model is told of the image, not sent its bytes.
  await expect(finalReply(page)).toContainText('[image: image/png');

  const card = page.getByTestId('tool-call').last();
  await card.getByText('Details of everything.get-tiny-image').click();
  const result = card.getByTestId('tool-result');
  await expect(result.locator('pre.tool-result-text')).toHaveText(["Here's the image you requested:", 'The image above is the MCP logo.']);
  const image = result.getByRole('img', { name: /^Image from everything\.get-tiny-image \(image\/png, \d+ KB\)$/ });
  await expect(image).toBeVisible();
  // Decoded, so the page's Content-Security-Policy lets a data: image through and the bytes are a real PNG.
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  const raw = result.getByText('As JSON');
  await expect(result.locator('.tool-result-raw pre')).toBeHidden();
  await raw.click();
  await expect(result.locator('.tool-result-raw pre')).toContainText('"type": "image"');
  expect(await seriousViolations(page)).toEqual([]);
});

test('a resource the server embeds shows its address and text; a link to one is named, not followed, and read_resource reads it', async ({ page }) => {
  host = new HeadlessHost();
  await startWithEverything(page, host, 'everything.get-resource-links');
  await send(page, 'everything.get-resource-reference {"resourceType":"Text","resourceId":3}');
  await expect(finalReply(page)).toContainText('Resource 3');
  let card = page.getByTestId('tool-call').last();
  await card.getByText('Details of everything.get-resource-reference').click();
  await expect(card.getByTestId('tool-result')).toContainText('Resource demo://resource/dynamic/text/3 (text/plain)');
  await expect(card.locator('pre.tool-result-text').nth(1)).toContainText('Resource 3: This is a plaintext resource');

  await send(page, 'everything.get-resource-links {"count":1}');
  await expect(page.getByTestId('tool-call')).toHaveCount(2);
  card = page.getByTestId('tool-call').last();
  await card.getByText('Details of everything.get-resource-links').click();
  await expect(card.getByTestId('tool-result')).toContainText('Link to a resource: Blob Resource 1 demo://resource/dynamic/blob/1 (text/plain): Resource 1: plaintext resource');
  await expect(card.getByTestId('tool-result').getByRole('link')).toHaveCount(0);

  // The link is followed through the server's own read_resource tool. The conversation has read the server's
  // output, but this server's sandbox lets it reach nothing outside the computer, so a URI the model picks cannot
  // carry it away: the read runs unasked (a server granted a domain asks: taint.offline-server.test.ts).
  await send(page, 'everything.read_resource {"uri":"demo://resource/dynamic/blob/1"}');
  await expect(page.getByTestId('tool-call')).toHaveCount(3);
  await expect(page.getByTestId('approval')).toHaveCount(0);
  card = page.getByTestId('tool-call').last();
  await expect(card.getByTestId('tool-status')).toHaveText('succeeded');
  // Its base64 text body is shown as text.
  await card.getByText('Details of everything.read_resource').click();
  await expect(card.getByTestId('tool-result')).toContainText('Resource demo://resource/dynamic/blob/1 (text/plain)');
  await expect(card.locator('pre.tool-result-text')).toContainText('Resource 1: This is a base64 blob');
});
