/**
 * Faults, as the UI shows them: an AWS call that is denied or hangs, and a
 * JupyterLab server that cannot be reached. The panel shows a reason-coded
 * state (never a bare spinner) and recovers once the fault clears.
 *
 * Faults are set through the Studio emulator's control API
 * (`POST /_emulator/faults`, `DELETE /_emulator/faults`); a test that sets
 * one asserts the recovery once it is cleared, and after every test the
 * faults are cleared and an explicit check replaces what the server cached.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { APIRequestContext, Locator } from '@playwright/test';

import {
  expect,
  IEmulatorInfo,
  PANEL_ID,
  refresh,
  showPanel,
  STATUS_BUTTON,
  test,
  xsrfHeaders
} from './fixtures';

// A route of the server extension, whatever the base URL.
const EXTENSION_ROUTES = /\/trusted-identity\//;

async function setFault(
  request: APIRequestContext,
  info: IEmulatorInfo,
  fault: Record<string, unknown>
): Promise<void> {
  const response = await request.post(`${info.url}/_emulator/faults`, {
    data: fault
  });
  expect(response.ok(), `set the fault ${JSON.stringify(fault)}`).toBe(true);
}

async function clearFaults(
  request: APIRequestContext,
  info: IEmulatorInfo
): Promise<void> {
  const response = await request.delete(`${info.url}/_emulator/faults`);
  expect(response.ok(), 'clear the faults').toBe(true);
}

/**
 * Open the panel and wait for the fault-free report (`propagated`).
 */
async function showPropagated(
  page: IJupyterLabPageFixture
): Promise<{ panel: Locator; banner: Locator }> {
  const panel = await showPanel(page);
  const banner = panel.locator('.jp-TrustedIdentity-banner');
  await expect(banner).toHaveAttribute('data-verdict', 'propagated', {
    timeout: 30000
  });
  return { panel, banner };
}

/**
 * Clear every fault and wait until the panel shows `propagated` again.
 */
async function recover(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  info: IEmulatorInfo
): Promise<void> {
  await clearFaults(request, info);
  await refresh(page);
  await expect(
    page.locator(`#${PANEL_ID} .jp-TrustedIdentity-banner`)
  ).toHaveAttribute('data-verdict', 'propagated', { timeout: 30000 });
}

test.describe('Faults', () => {
  // Whatever a test left behind, the next one starts fault-free: no fault at
  // the emulator, and no answer of a fault in the server's caches (an
  // explicit check replaces them).
  test.afterEach(async ({ request, baseURL, emulator }) => {
    await clearFaults(request, emulator.info());
    const check = await request.post(
      `${baseURL}/trusted-identity/identity/check`,
      { headers: await xsrfHeaders(request, baseURL!) }
    );
    expect(check.ok(), 'the check after the test').toBe(true);
  });

  test('a denied sagemaker:DescribeSpace names the action, CloudTrail settles the verdict; it recovers', async ({
    page,
    request,
    emulator
  }) => {
    const info = emulator.info();
    const { panel, banner } = await showPropagated(page);
    await setFault(request, info, {
      operation: 'sagemaker:DescribeSpace',
      fault: 'denied'
    });
    await refresh(page);
    // CloudTrail proves the session acts for Jane Doe: the unread checks are
    // settled by that proof (issue 12), and still name the action to grant.
    await expect(banner).toHaveAttribute('data-cause', 'studio.space_private');
    await expect(banner).toHaveAttribute('data-verdict', 'propagated');
    await expect(banner).toContainText(
      "Allow sagemaker:DescribeSpace in the execution role's IAM policy."
    );
    for (const id of ['studio.space_private', 'studio.remote_access']) {
      const check = panel.locator(`[data-check-id="${id}"]`);
      await expect(check).toHaveAttribute('data-status', 'warn');
      await check.locator('summary').click();
      await expect(check).toContainText('Read alone, this check is “Unknown”');
      // The IAM action to grant.
      await expect(check).toContainText(
        "Allow sagemaker:DescribeSpace in the execution role's IAM policy."
      );
    }
    const status = page.locator(STATUS_BUTTON);
    await expect(status).toHaveAttribute('data-verdict', 'propagated');

    await recover(page, request, info);
    await expect(
      panel.locator('[data-check-id="studio.space_private"]')
    ).toHaveAttribute('data-status', 'pass');
    await expect(banner).toHaveAttribute('data-cause', '');
  });

  test('hanging container credentials: a reason-coded verdict within the check deadline, not a spinner; it recovers', async ({
    page,
    request,
    emulator
  }) => {
    const info = emulator.info();
    const { panel, banner } = await showPropagated(page);
    await setFault(request, info, {
      operation: 'container:GetCredentials',
      fault: 'hang',
      hang_seconds: 60
    });
    const refreshed = refresh(page);
    // While the check runs, the last report stays, marked as being checked.
    await expect(
      banner.locator('.jp-TrustedIdentity-bannerMeta')
    ).toContainText('Checking…');
    await refreshed;
    // The server answers within its check deadline (10 s): the credentials
    // could not be resolved, so the verdict is unknown, and says why.
    await expect(banner).toHaveAttribute('data-verdict', 'unknown');
    const check = panel.locator('[data-check-id="credentials.resolved"]');
    await expect(check).toHaveAttribute('data-status', 'unknown');
    await expect(check).toContainText('Resolving credentials failed');
    await expect(
      banner.locator('.jp-TrustedIdentity-bannerMeta')
    ).toContainText('Checked at');
    await expect(panel.locator('.jp-TrustedIdentity-spin')).toHaveCount(0);
    await expect(panel.locator('.jp-TrustedIdentity-empty')).toHaveCount(0);

    await recover(page, request, info);
    await expect(check).toHaveAttribute('data-status', 'pass');
  });

  test('an unreachable server while a report is shown: the report is marked stale; it recovers', async ({
    page
  }) => {
    const { banner } = await showPropagated(page);
    await page.route(EXTENSION_ROUTES, route =>
      route.abort('connectionrefused')
    );
    await refresh(page);
    const stale = banner.locator('.jp-TrustedIdentity-stale');
    await expect(stale).toHaveAttribute('data-reason', 'network');
    await expect(stale).toContainText('The server cannot be reached');

    await page.unroute(EXTENSION_ROUTES);
    await refresh(page);
    await expect(stale).toHaveCount(0);
    await expect(banner).toHaveAttribute('data-verdict', 'propagated');
  });

  test.describe('at load', () => {
    test.use({ autoGoto: false });

    test('an unreachable server: the panel says so (no spinner), the status bar too; Retry recovers', async ({
      page
    }) => {
      await page.route(EXTENSION_ROUTES, route =>
        route.abort('connectionrefused')
      );
      await page.goto();
      const panel = await showPanel(page);
      const empty = panel.locator('.jp-TrustedIdentity-empty');
      await expect(empty).toHaveAttribute('data-reason', 'disconnected', {
        timeout: 30000
      });
      await expect(empty).toContainText(
        'The JupyterLab server cannot be reached'
      );
      await expect(panel.locator('.jp-TrustedIdentity-banner')).toHaveCount(0);
      const status = page.locator(STATUS_BUTTON);
      await expect(status).toHaveAttribute('data-verdict', 'disconnected');
      await expect(status).toContainText('Identity unavailable');

      await page.unroute(EXTENSION_ROUTES);
      await empty.locator('.jp-TrustedIdentity-retry').click();
      await expect(panel.locator('.jp-TrustedIdentity-banner')).toHaveAttribute(
        'data-verdict',
        'propagated',
        { timeout: 30000 }
      );
      await expect(status).toHaveAttribute('data-verdict', 'propagated');
    });
  });
});
