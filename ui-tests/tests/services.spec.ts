/**
 * Proof at the services (issue 10), as a user sees it: the panel's
 * "Services and limits" section lists the S3 Access Grants grants that apply
 * to Jane Doe, and Test access asks S3 Access Grants, on the user's request,
 * whether a prefix is hers: allowed on her own prefix (the grantee is her,
 * first-hand proof), denied on a colleague's.
 */
import type { Locator } from '@playwright/test';

import { checkIn, expect, openPanel, shoot, test } from './fixtures';

/**
 * Open the "Services and limits" section (folded by default) and return it.
 */
async function openServices(panel: Locator): Promise<Locator> {
  const section = panel.locator('[data-section="notes"]');
  const title = panel
    .locator('.lm-AccordionPanel-title')
    .filter({ hasText: 'Services and limits' });
  if ((await title.getAttribute('aria-expanded')) !== 'true') {
    await title.click();
  }
  await expect(title).toHaveAttribute('aria-expanded', 'true');
  return section;
}

/**
 * Run Test access in the section, as the user does: type the URI, pick the
 * permission, press Test; resolves with the outcome shown.
 */
async function testAccess(
  section: Locator,
  target: string,
  permission: 'READ' | 'WRITE' | 'READWRITE'
): Promise<Locator> {
  const form = section.locator('.jp-TrustedIdentity-accessTestForm');
  await form.locator('input[name="target"]').fill(target);
  await form.locator('select[name="permission"]').selectOption(permission);
  await form.getByRole('button', { name: 'Test', exact: true }).click();
  const outcome = section.locator(
    '.jp-TrustedIdentity-accessOutcome [data-outcome="result"]'
  );
  await expect(outcome).toContainText(target, { timeout: 30000 });
  return outcome;
}

test.describe('Services', () => {
  test.use({ viewport: { width: 1280, height: 1200 } });

  test.afterEach(async ({ page, emulator }) => {
    await checkIn(page, emulator, 'happy');
  });

  test('happy: Jane Doe’s grants are listed; Test access is allowed on her prefix, denied on another @xsrf', async ({
    page,
    emulator
  }) => {
    const panel = await openPanel(page);
    await checkIn(page, emulator, 'happy');
    const section = await openServices(panel);
    const grantsService = section.locator(
      '[data-service-details="s3-access-grants"]'
    );
    await expect(
      grantsService.locator('[data-part="integration"]')
    ).toHaveAttribute('data-state', 'ready', { timeout: 30000 });
    const grants = grantsService.locator('[data-part="grants"]');
    await expect(grants).toHaveAttribute('data-state', 'listed');
    await expect(grants).toContainText('1 grant applies to you');
    const rows = grants.locator('table.jp-TrustedIdentity-grants tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(
      's3://amzn-s3-demo-bucket/users/jdoe/*'
    );
    // Her colleague's grant is not hers, so it is not listed.
    await expect(grants).not.toContainText('users/asmith');

    const allowed = await testAccess(
      section,
      's3://amzn-s3-demo-bucket/users/jdoe/notes.csv',
      'READ'
    );
    await expect(allowed).toHaveAttribute('data-status', 'allowed');
    await expect(allowed.locator('[data-fact="matched_grant_target"]')).toContainText(
      's3://amzn-s3-demo-bucket/users/jdoe/*'
    );
    await expect(allowed.locator('[data-fact="grantee"]')).toContainText(
      'Identity Center user'
    );
    await expect(
      allowed.locator('[data-fact="grantee_is_expected_user"]')
    ).toContainText('Yes: first-hand proof of propagation');

    const denied = await testAccess(
      section,
      's3://amzn-s3-demo-bucket/users/asmith/notes.csv',
      'READ'
    );
    await expect(denied).toHaveAttribute('data-status', 'denied');
    await expect(denied.locator('[data-fact="matched_grant_target"]')).toContainText(
      'None'
    );
    await expect(denied).not.toContainText('first-hand proof');
  });

  test('Test access refuses what is not an S3 URI, next to the input, and asks nothing', async ({
    page,
    emulator
  }) => {
    const panel = await openPanel(page);
    await checkIn(page, emulator, 'happy');
    const section = await openServices(panel);
    const form = section.locator('.jp-TrustedIdentity-accessTestForm');
    await form.locator('input[name="target"]').fill('https://example.com/x');
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    const error = form.locator('.jp-TrustedIdentity-inputError');
    await expect(error).toBeVisible({ timeout: 30000 });
    await expect(error).toContainText('s3://');
    await expect(form.locator('input[name="target"]')).toHaveAttribute(
      'aria-invalid',
      'true'
    );
    await expect(
      section.locator('.jp-TrustedIdentity-accessOutcome [data-outcome]')
    ).toHaveCount(0);
  });

  // The services section in each scenario of issue 10, for the docs: the
  // other sections folded, the page tall enough for the whole section.
  for (const [scenario, state] of [
    ['happy', 'ready'],
    ['services_not_configured', 'not_configured'],
    ['services_other_instance', 'other_instance'],
    ['services_denied', 'unknown']
  ] as const) {
    test(`services section in ${scenario}`, async ({
      page,
      emulator
    }, testInfo) => {
      await page.setViewportSize({ width: 1280, height: 2600 });
      const panel = await openPanel(page);
      await checkIn(page, emulator, scenario);
      const section = await openServices(panel);
      const titles = panel.locator('.lm-AccordionPanel-title');
      for (let i = 0; i < (await titles.count()); i++) {
        const title = titles.nth(i);
        const open = (await title.getAttribute('aria-expanded')) === 'true';
        if (open && !(await title.innerText()).match(/Services and limits/i)) {
          await title.click();
        }
      }
      for (const id of ['athena', 'lake-formation', 'redshift-data', 'glue']) {
        await expect(
          section.locator(
            `[data-service-details="${id}"] [data-part="integration"]`
          )
        ).toHaveAttribute('data-state', state, { timeout: 30000 });
      }
      await shoot(section, `services-${scenario.replace(/^services_/, '').replace(/_/g, '-')}`, testInfo);
    });
  }

  // Last: the server keeps what a Test access proved for the session's life.
  test('a Test access whose grantee is Jane Doe outranks a domain read before CloudTrail delivers', async ({
    page,
    emulator
  }) => {
    const panel = await openPanel(page);
    await checkIn(page, emulator, 'tip_read_missing_ct_pending');
    const banner = panel.locator('.jp-TrustedIdentity-banner');
    await expect(banner).toHaveAttribute('data-verdict', 'not_propagated', {
      timeout: 30000
    });
    const section = await openServices(panel);
    const allowed = await testAccess(
      section,
      's3://amzn-s3-demo-bucket/users/jdoe/notes.csv',
      'READ'
    );
    await expect(
      allowed.locator('[data-fact="grantee_is_expected_user"]')
    ).toContainText('Yes: first-hand proof of propagation');
    // The panel reads the reports again by itself: the proof now decides.
    await expect(banner).toHaveAttribute('data-verdict', 'propagated', {
      timeout: 30000
    });
    await expect(banner).toContainText(
      'The evidence disagrees: the verdict follows S3 Access Grants'
    );
    await expect(banner).toContainText('Identity: Seen by S3 Access Grants');
    await expect(banner).not.toContainText('Status to ENABLED');
  });
});
