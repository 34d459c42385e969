import { expect, test } from '@playwright/test';
import { send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();

// The browser sends a cookie of 127.0.0.1 to every port of it (another local server the person opens gets it too), so
// the page's cookie must not be the session token: the page keeps the token in sessionStorage (per origin, port
// included) and gives it to its own socket.
test('the page keeps working after a reload while no cookie of 127.0.0.1 holds the session token', async ({ page, context }) => {
  const host = currentHost();
  await page.goto(host.url);
  await send(page, 'list the files');
  await expect(page.getByTestId('tool-call').first()).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('tool-call').first()).toBeVisible();
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);

  const token = new URL(host.url).searchParams.get('token')!;
  const cookies = await context.cookies('http://127.0.0.1/');
  expect(cookies.length).toBeGreaterThan(0);
  for (const cookie of cookies) expect(cookie.value).not.toContain(token);
});

test('a tab opened with the bare address says it has no access token and to open the printed link', async ({ page }) => {
  const host = currentHost();
  await page.goto(`${host.origin}/?token=${new URL(host.url).searchParams.get('token')}`);
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
  // The page's cookie serves its files to a new tab of the same browser, but no cookie carries the token.
  const fresh = await page.context().newPage();
  await fresh.goto(`${host.origin}/`);
  await expect(fresh.getByTestId('connection-banner')).toContainText('This tab has no access token. Open the link portcullis serve printed');
  // Nothing else is drawn: no sidebar saying it is reconnecting, no card loading for ever.
  await expect(fresh.getByRole('navigation', { name: 'Places' })).toHaveCount(0);
  await expect(fresh.getByText(/Loading|reconnecting|try again/i)).toHaveCount(0);
});
