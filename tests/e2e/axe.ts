import type { Page } from '@playwright/test';

/**
 * The serious and critical axe-core violations on the page as it is now (or inside `include`, a CSS selector), in
 * the light and the dark theme. UX.md: none on any page.
 */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const builder = new AxeBuilder({ page });
    const { violations } = await (include ? builder.include(include) : builder).analyze();
    for (const v of violations) {
      if (v.impact === 'serious' || v.impact === 'critical') found.push(`${colorScheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  return found;
}
