/**
 * The verdict weighs evidence (issue 12), as a user sees it: a configuration
 * read that is missing or contradicts CloudTrail's proof leaves the verdict
 * with the proof, the banner says out loud that the evidence disagrees and
 * never asks to change a setting the proof shows in effect; long tokens wrap
 * inside the panel's default width.
 */
import type { Locator } from '@playwright/test';

import { checkIn, expect, openPanel, shoot, test } from './fixtures';

/**
 * Whether an element's text fits its box (no line runs out of it): the
 * union of its text's line boxes ends inside the element.
 */
async function fitsWidth(element: Locator): Promise<boolean> {
  return element.evaluate(node => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return (
      range.getBoundingClientRect().right <=
      node.getBoundingClientRect().right + 1
    );
  });
}

test.describe('Evidence', () => {
  test.use({ viewport: { width: 1280, height: 1000 } });

  test.afterEach(async ({ page, emulator }) => {
    await checkIn(page, emulator, 'happy');
  });

  test('a TIP read that is missing while CloudTrail verifies Jane Doe', async ({
    page,
    emulator
  }, testInfo) => {
    const panel = await openPanel(page);
    // What botocore 1.37 shows of a happy space: no TIP fields in the answers.
    await checkIn(page, emulator, 'tip_read_missing');
    const banner = panel.locator('.jp-TrustedIdentity-banner');
    await expect(banner).toHaveAttribute('data-cause', 'evidence.consistent', {
      timeout: 30000
    });
    await expect(banner).toHaveAttribute('data-verdict', 'propagated');
    await expect(banner).toHaveClass(/jp-mod-contradiction/);
    await expect(banner).toContainText(
      'Your identity, Jane Doe, is propagated to connected AWS services'
    );
    await expect(banner).toContainText(
      'The evidence disagrees: the verdict follows CloudTrail'
    );
    await expect(banner).toContainText(
      'DescribeDomain returned no TrustedIdentityPropagationSettings'
    );
    await expect(banner).toContainText('What to do: Nothing to change');
    // Never the remediation of issue 12's report: the setting is in effect.
    await expect(banner).not.toContainText('Status to ENABLED');
    await expect(banner).not.toContainText('not propagated');

    // The check itself says what it read and that the proof outranks it.
    const tip = panel.locator('[data-check-id="studio.tip_enabled"]');
    await expect(tip).toHaveAttribute('data-status', 'warn');
    await tip.locator('summary').click();
    await expect(tip).toContainText('Read alone, this check is “Failed”');
    // The identity is CloudTrail's.
    await expect(
      panel.locator('.jp-TrustedIdentity-identity [data-provenance]')
    ).toHaveAttribute('data-provenance', 'cloudtrail');

    // At the panel's default width, the banner's long tokens wrap.
    expect(await fitsWidth(banner)).toBe(true);
    await banner.scrollIntoViewIfNeeded();
    await shoot(panel, 'panel-contradiction-light', testInfo);
  });

  test('a domain setting read as DISABLED after the app started', async ({
    page,
    emulator
  }) => {
    const panel = await openPanel(page);
    await checkIn(page, emulator, 'tip_read_contradicts');
    const banner = panel.locator('.jp-TrustedIdentity-banner');
    await expect(banner).toHaveAttribute('data-cause', 'evidence.consistent', {
      timeout: 30000
    });
    await expect(banner).toHaveAttribute('data-verdict', 'propagated');
    await expect(banner).toContainText('DISABLED on the domain');
    await expect(banner).toContainText(
      'the setting was changed after this app started'
    );
    await expect(banner).not.toContainText('Status to ENABLED');
  });

  test('proof of nobody outranks configuration that says on', async ({
    page,
    emulator
  }) => {
    const panel = await openPanel(page);
    await checkIn(page, emulator, 'ct_absent');
    const banner = panel.locator('.jp-TrustedIdentity-banner');
    await expect(banner).toHaveAttribute('data-verdict', 'not_propagated', {
      timeout: 30000
    });
    await expect(banner).toContainText(
      'Every configuration read says the identity should be propagated'
    );
    await expect(banner).toContainText('sign in to IAM Identity Center again');
  });

  test('a remediation with a long field path wraps at the default width', async ({
    page,
    emulator
  }) => {
    const panel = await openPanel(page);
    await checkIn(page, emulator, 'tip_domain_off');
    const banner = panel.locator('.jp-TrustedIdentity-banner');
    await expect(banner).toHaveAttribute('data-verdict', 'not_propagated', {
      timeout: 30000
    });
    await expect(banner).toContainText(
      'DomainSettingsForUpdate.TrustedIdentityPropagationSettings.Status'
    );
    expect(await fitsWidth(banner)).toBe(true);
    const tip = panel.locator('[data-check-id="studio.tip_enabled"]');
    await expect(tip).toHaveAttribute('data-status', 'fail');
    expect(await fitsWidth(tip.locator('.jp-TrustedIdentity-checkBody'))).toBe(
      true
    );
  });
});
