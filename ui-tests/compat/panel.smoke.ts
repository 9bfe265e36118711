/**
 * The smoke test of one image-like environment (see playwright.config.js
 * beside this file), in the emulator's `happy` scenario: the labextension
 * loads without unsatisfied shared versions, the panel names the user, and a
 * kernel started from the emulator's `python3-static-keys` kernelspec (static
 * keys in its environment) is not propagated in its Sessions row.
 */
import { expect, test } from '@playwright/test';

import { PANEL_ID } from '../tests/fixtures';

const STATIC_KEYS_KERNEL = 'python3-static-keys';

test('the panel names the user; a static-keys kernel is not propagated', async ({
  page,
  request,
  baseURL
}) => {
  const unsatisfied: string[] = [];
  page.on('console', message => {
    if (/unsatisfied version/i.test(message.text())) {
      unsatisfied.push(message.text());
    }
  });

  await page.goto(`${baseURL}/lab`);
  await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });

  const tab = page.locator(`.jp-SideBar li[data-id="${PANEL_ID}"]`);
  await tab.click();
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();

  await test.step('the labextension finds every shared package it requires', () => {
    // Webpack warns when JupyterLab's version of a shared package is outside
    // the range the labextension was built for.
    expect.soft(unsatisfied).toEqual([]);
  });

  await test.step('the panel names the user', async () => {
    await expect(panel.locator('[data-fact="display_name"] dd')).toHaveText(
      'Jane Doe',
      { timeout: 60000 }
    );
    await expect(panel.locator('[data-fact="user_name"] dd')).toContainText(
      'jdoe'
    );
  });

  await test.step('a static-keys kernel is not propagated in its row', async () => {
    const specs = await (
      await request.get(`${baseURL}/api/kernelspecs`)
    ).json();
    expect(
      Object.keys(specs.kernelspecs),
      `the emulator's state dir has the ${STATIC_KEYS_KERNEL} kernelspec`
    ).toContain(STATIC_KEYS_KERNEL);

    const kernelId: string = await page.evaluate(async kernelName => {
      const app = (window as any).jupyterapp;
      const notebook = await app.commands.execute('notebook:create-new', {
        kernelName
      });
      await notebook.sessionContext.ready;
      return notebook.sessionContext.session.kernel.id;
    }, STATIC_KEYS_KERNEL);

    const row = panel.locator(
      `.jp-TrustedIdentity-session[data-kernel-id="${kernelId}"]`
    );
    await expect(row).toHaveAttribute('data-verdict', 'not_propagated', {
      timeout: 60000
    });
  });
});
