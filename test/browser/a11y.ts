import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The rules every screen is held to: WCAG 2.1 A and AA (contrast, names, roles, structure). */
export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface A11yFinding {
  rule: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page as it is now and lists what it finds (empty = clean). */
export async function a11yFindings(page: Page): Promise<A11yFinding[]> {
  // Animations settled: a fading element would be judged at half its contrast.
  await page.evaluate(() =>
    document.getAnimations().forEach((a) => {
      try {
        a.finish();
      } catch {
        a.cancel(); // an endless pulse: judged without it
      }
    }),
  );
  const result = await new AxeBuilder({ page }).withTags(A11Y_TAGS).analyze();
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes
      .slice(0, 5)
      .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`),
  }));
}

/**
 * Fails the test when axe-core finds any WCAG 2.1 A/AA violation on the page, naming the screen
 * (`label`), each rule and the elements. Every screen's test calls this once the screen is ready.
 */
export async function expectNoA11yViolations(page: Page, label: string): Promise<void> {
  const findings = await a11yFindings(page);
  const report = findings.map(
    (f) => `${label}: ${f.rule} (${f.impact}) ${f.help}\n    ${f.targets.join('\n    ')}`,
  );
  expect(report, `accessibility violations on ${label}`).toEqual([]);
}
