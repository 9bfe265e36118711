/**
 * The Trusted identity UI against the Studio emulator: the panel, the
 * kernel-launch hook (row, status bar, notification), a failing scenario,
 * the settings, and the screenshots of docs/screenshots/.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

import {
  checkIn,
  expect,
  openPanel,
  shoot,
  STATUS_BUTTON,
  test
} from './fixtures';

/**
 * Create a notebook on a kernelspec in the test folder, and wait for its
 * kernel to be idle.
 */
async function newNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  kernelName: string
): Promise<void> {
  await page.evaluate(
    async ({ cwd, kernelName }) => {
      await window.jupyterapp.commands.execute('notebook:create-new', {
        cwd,
        kernelName
      });
    },
    { cwd: tmpPath, kernelName }
  );
  await expect(page.locator('.jp-NotebookPanel')).toBeVisible();
  await page.waitForSelector('#jp-main-statusbar >> text=Idle', {
    timeout: 60000
  });
}

test.use({ viewport: { width: 1280, height: 1000 } });

test.describe('Trusted identity panel', () => {
  test('shows Jane Doe and the propagated verdict in happy @xsrf', async ({
    page,
    request,
    baseURL
  }, testInfo) => {
    if (testInfo.project.name === 'studio-xsrf') {
      // The XSRF check is on: a POST without the header is refused.
      const bare = await request.post(
        `${baseURL}/trusted-identity/identity/check`
      );
      expect(bare.status()).toBe(403);
    }
    const panel = await openPanel(page);
    const banner = panel.locator('.jp-TrustedIdentity-banner');
    await expect(banner).toHaveAttribute('data-verdict', 'propagated');
    await expect(banner).toContainText(
      'Your identity, Jane Doe, is propagated to connected AWS services'
    );
    await expect(banner).toContainText('Verified by CloudTrail');
    await expect(panel.locator('[data-fact="display_name"] dd')).toHaveText(
      'Jane Doe'
    );
    await expect(panel.locator('[data-fact="access_key_id"] dd')).toHaveText(
      /^ASIA….{4}$/
    );
    // The banner is a live region; the panel a labelled region.
    await expect(banner).toHaveAttribute('aria-live', 'polite');
    await expect(panel).toHaveAttribute('aria-label', 'Trusted identity panel');

    // The explicit refresh (a POST) works, also with the XSRF check on.
    const refreshed = page.waitForResponse(
      response =>
        response.url().includes('/trusted-identity/identity/check') &&
        response.request().method() === 'POST'
    );
    await panel.locator('.jp-Toolbar-item').first().locator('button').click();
    expect((await refreshed).status()).toBe(200);
    await expect(banner).toHaveAttribute('data-verdict', 'propagated');

    await page.sidebar.setWidth(400, 'left');
    await shoot(panel, 'panel-happy-light', testInfo);
    if (testInfo.project.name === 'studio') {
      await page.theme.setDarkTheme();
      try {
        await expect(banner).toBeVisible();
        await shoot(panel, 'panel-happy-dark', testInfo);
      } finally {
        await page.theme.setLightTheme();
      }
    }
  });

  test('a kernel with AWS_PROFILE is not propagated: row, status bar, notification @xsrf', async ({
    page,
    tmpPath
  }) => {
    const panel = await openPanel(page);
    await newNotebook(page, tmpPath, 'python3-aws-profile');

    const row = panel.locator('.jp-TrustedIdentity-session').filter({
      hasText: 'AWS_PROFILE=analytics'
    });
    await expect(row).toHaveAttribute('data-verdict', 'not_propagated', {
      timeout: 30000
    });
    await expect(row).toContainText('Not propagated');
    await expect(row.locator('.jp-TrustedIdentity-variable')).toHaveText(
      'AWS_PROFILE'
    );

    const status = page.locator(STATUS_BUTTON);
    await expect(status).toHaveAttribute('data-scope', 'kernel');
    await expect(status).toHaveAttribute('data-verdict', 'not_propagated');
    await expect(status).toContainText('Not propagated');

    const toast = page
      .locator('.Toastify__toast')
      .filter({ hasText: 'runs without your identity' });
    await expect(toast).toBeVisible();
    await expect(toast).toContainText('AWS_PROFILE');
    await expect(
      toast.getByRole('button', { name: 'Open panel' })
    ).toBeVisible();

    // The banner names the kernel.
    await expect(
      panel.locator('.jp-TrustedIdentity-bannerKernels')
    ).toContainText('Untitled');

    // Re-check the kernel: a POST through ServerConnection (XSRF header).
    const rechecked = page.waitForResponse(
      response =>
        /\/trusted-identity\/kernels\/[0-9a-f-]+\/check$/.test(
          new URL(response.url()).pathname
        ) && response.request().method() === 'POST'
    );
    await row.locator('.jp-TrustedIdentity-recheck').click();
    expect((await rechecked).status()).toBe(200);
    await expect(row).toHaveAttribute('data-verdict', 'not_propagated');

    // Clicking the row shows its notebook.
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('launcher:create');
    });
    await row.locator('.jp-TrustedIdentity-sessionMain').click();
    await expect(page.locator('.jp-NotebookPanel')).toBeVisible();
    await expect(status).toHaveAttribute('data-scope', 'kernel');
  });

  test('shared_space shows the failing check and its remediation', async ({
    page,
    emulator
  }, testInfo) => {
    const panel = await openPanel(page);
    try {
      await checkIn(page, emulator, 'shared_space');
      const banner = panel.locator('.jp-TrustedIdentity-banner');
      await expect(banner).toHaveAttribute('data-verdict', 'not_propagated', {
        timeout: 30000
      });
      await expect(banner).toContainText('Your identity is not propagated');
      await expect(banner).toContainText(
        'Use a private space for work that needs your identity.'
      );
      const check = panel.locator('[data-check-id="studio.space_private"]');
      await expect(check).toHaveAttribute('data-status', 'fail');
      await expect(check).toContainText('The space is Shared');
      await expect(check).toContainText(
        'What to do: Use a private space for work that needs your identity.'
      );
      await expect(check.locator('a')).toHaveAttribute(
        'rel',
        'noopener noreferrer'
      );
      await expect(panel.locator('[data-fact="sharing_type"] dd')).toHaveText(
        'Shared'
      );
      // The user is the profile's, not verified.
      await expect(
        panel.locator('.jp-TrustedIdentity-identity [data-provenance]')
      ).toHaveAttribute('data-provenance', 'profile');

      await page.sidebar.setWidth(400, 'left');
      // The checks section first in view for the screenshot.
      await check.scrollIntoViewIfNeeded();
      await shoot(panel, 'panel-shared-space-light', testInfo);
      await page.theme.setDarkTheme();
      try {
        await expect(banner).toBeVisible();
        await shoot(panel, 'panel-shared-space-dark', testInfo);
      } finally {
        await page.theme.setLightTheme();
      }
    } finally {
      await checkIn(page, emulator, 'happy');
      await expect(panel.locator('.jp-TrustedIdentity-banner')).toHaveAttribute(
        'data-verdict',
        'propagated',
        { timeout: 30000 }
      );
    }
  });

  test('the settings editor lists the plugin; showStatusBarItem hides the item', async ({
    page
  }) => {
    const status = page.locator(
      '#jp-main-statusbar .jp-TrustedIdentity-statusItem'
    );
    await expect(status).toBeVisible({ timeout: 30000 });

    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('settingeditor:open', {
        query: 'Trusted identity'
      });
    });
    const entry = page
      .locator('.jp-PluginList-entry')
      .filter({ hasText: 'Trusted identity' });
    await expect(entry).toBeVisible();
    await entry.click();
    const toggle = page.getByLabel('Show the status bar item');
    await expect(toggle).toBeChecked();
    await toggle.uncheck();
    try {
      await expect(status).toBeHidden({ timeout: 10000 });
    } finally {
      await toggle.check();
    }
    await expect(status).toBeVisible({ timeout: 10000 });
  });

  test('palette commands are listed with their labels', async ({ page }) => {
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await expect(palette).toBeVisible();
    await palette.locator('.lm-CommandPalette-input').fill('Trusted Identity');
    for (const label of [
      'Open the Trusted Identity Panel',
      'Refresh the Identity Checks',
      "Re-check the Current Kernel's Identity",
      'Copy the Identity Summary',
      'Download the Identity Audit Trail (CSV)'
    ]) {
      await expect(
        palette.locator('.lm-CommandPalette-itemLabel', { hasText: label })
      ).toHaveCount(1);
    }
    await page.keyboard.press('Escape');
  });
});
