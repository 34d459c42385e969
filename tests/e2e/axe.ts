import type { Page } from '@playwright/test';

/** The axe rules whose outcome a colour theme can change. */
const THEME_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * The serious and critical axe-core violations on the page as it is now (or inside `include`, a CSS selector), in
 * the light and the dark theme. UX.md: none on any page.
 */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Run in the page itself (it has no frames), not through a second page per scan; and the dark theme changes
    // only colours, so it is checked for those: each check took seconds, and a page of them the test's time.
    const builder = new AxeBuilder({ page }).setLegacyMode(true);
    if (colorScheme === 'dark') builder.withRules(THEME_RULES);
    const { violations } = await (include ? builder.include(include) : builder).analyze();
    for (const v of violations) {
      if (v.impact === 'serious' || v.impact === 'critical') found.push(`${colorScheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  return found;
}
