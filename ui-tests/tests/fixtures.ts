/**
 * Galata's `test` and `expect`, adapted to a JupyterLab served below a base
 * URL (SageMaker Studio's `/jupyterlab/default/`), possibly with Jupyter's
 * XSRF check on (Studio runs with an empty token).
 *
 * Galata's `tmpPath` fixture creates the per-test server folder, and its
 * `kernels`, `sessions` and `terminals` fixtures shut down what a test
 * started, with root-relative `/api/...` requests, which miss a server that
 * has a base URL, and without the XSRF header. These overrides send them
 * below `baseURL`, with the `_xsrf` cookie's value in `X-XSRFToken`.
 * Import `test` and `expect` from here, not from '@jupyterlab/galata'.
 */
import {
  expect,
  IJupyterLabPageFixture,
  test as base
} from '@jupyterlab/galata';
import type { APIRequestContext, Locator, TestInfo } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Headers that pass Jupyter's XSRF check: the `_xsrf` cookie that JupyterLab's
 * page sets, echoed in `X-XSRFToken`.
 */
export async function xsrfHeaders(
  request: APIRequestContext,
  baseURL: string
): Promise<Record<string, string>> {
  await request.get(`${baseURL}/lab`);
  const state = await request.storageState();
  const cookie = state.cookies.find(item => item.name === '_xsrf');
  return cookie ? { 'X-XSRFToken': cookie.value } : {};
}

/**
 * The scenario info the Studio emulator of this project's JupyterLab wrote
 * (its control URL among others).
 */
export interface IEmulatorInfo {
  name: string;
  url: string;
  [key: string]: unknown;
}

/**
 * Shut down the kernels, sessions or terminals a test started.
 */
async function clearRunners(
  request: APIRequestContext,
  baseURL: string,
  ids: string[],
  type: 'kernels' | 'sessions' | 'terminals'
): Promise<void> {
  if (!ids.length) {
    return;
  }
  const headers = await xsrfHeaders(request, baseURL);
  await Promise.all(
    ids.map(id =>
      request.delete(`${baseURL}/api/${type}/${id}`, {
        headers,
        failOnStatusCode: false
      })
    )
  );
}

export const test = base.extend<{
  emulatorInfoPath: string;
  emulator: {
    info: () => IEmulatorInfo;
    useScenario: (name: string) => Promise<IEmulatorInfo>;
  };
}>({
  emulatorInfoPath: [
    path.resolve(__dirname, '..', '.state', '8888', 'emulator-info.json'),
    { option: true }
  ],

  emulator: async ({ emulatorInfoPath, request }, use) => {
    const info = (): IEmulatorInfo => {
      if (!fs.existsSync(emulatorInfoPath)) {
        throw new Error(
          `No emulator info at ${emulatorInfoPath}: start JupyterLab through ` +
            'playwright.config.js (or point the emulatorInfoPath option at ' +
            "the emulator's --state-dir)."
        );
      }
      return JSON.parse(fs.readFileSync(emulatorInfoPath, 'utf-8'));
    };
    const useScenario = async (name: string): Promise<IEmulatorInfo> => {
      const response = await request.post(`${info().url}/_emulator/scenario`, {
        data: { name }
      });
      expect(response.ok(), `switch the emulator to ${name}`).toBe(true);
      return response.json();
    };
    await use({ info, useScenario });
  },

  kernels: async ({ request, baseURL }, use) => {
    const kernels = new Map();
    await use(kernels);
    await clearRunners(request, baseURL!, [...kernels.keys()], 'kernels');
  },

  sessions: async ({ request, baseURL }, use) => {
    const sessions = new Map();
    await use(sessions);
    await clearRunners(request, baseURL!, [...sessions.keys()], 'sessions');
  },

  terminals: async ({ request, baseURL }, use) => {
    const terminals = new Map();
    await use(terminals);
    await clearRunners(request, baseURL!, [...terminals.keys()], 'terminals');
  },

  tmpPath: async ({ request, baseURL, serverFiles }, use, testInfo) => {
    const folder = path.basename(testInfo.outputDir).replace(/-retry\d+$/i, '');
    const url = `${baseURL}/api/contents/${encodeURIComponent(folder)}`;
    const headers = await xsrfHeaders(request, baseURL!);

    if ((await request.get(`${url}?content=0`)).ok()) {
      await request.delete(url, { headers });
    }
    const created = await request.put(url, {
      data: { type: 'directory' },
      headers
    });
    expect(created.status(), `create the test folder ${folder}`).toBe(201);

    await use(folder);

    if (
      serverFiles === 'off' ||
      (serverFiles === 'only-on-failure' &&
        (testInfo.status === 'passed' || testInfo.status === 'skipped'))
    ) {
      await request.delete(url, { failOnStatusCode: false, headers });
    }
  }
});

export { expect };

/**
 * The id of the Trusted identity panel in the left sidebar.
 */
export const PANEL_ID = 'jupyterlab-trusted-identity';

/**
 * The status bar item of the extension.
 */
export const STATUS_BUTTON =
  '#jp-main-statusbar .jp-TrustedIdentity-statusButton';

/**
 * Open the panel (a report or an empty state is shown).
 */
export async function showPanel(
  page: IJupyterLabPageFixture
): Promise<Locator> {
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * The panel's explicit refresh (every server cache bypassed), as the toolbar
 * button runs it; resolves when the refresh is done.
 */
export async function refresh(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('trusted-identity:refresh');
  });
}

/**
 * Switch the emulated Studio to another scenario and check again, as a user
 * who presses Refresh after a change; resolves when the check is done.
 */
export async function checkIn(
  page: IJupyterLabPageFixture,
  emulator: { useScenario: (name: string) => Promise<unknown> },
  scenario: string
): Promise<void> {
  await emulator.useScenario(scenario);
  await refresh(page);
}

/**
 * Open the panel and wait for a verdict in its banner.
 */
export async function openPanel(
  page: IJupyterLabPageFixture
): Promise<Locator> {
  const panel = await showPanel(page);
  await expect(panel.locator('.jp-TrustedIdentity-banner')).toBeVisible({
    timeout: 30000
  });
  return panel;
}

/**
 * Where the docs' screenshots live.
 */
const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * A screenshot of the panel for the docs (from the `studio` project only).
 */
export async function shoot(
  panel: Locator,
  name: string,
  testInfo: TestInfo
): Promise<void> {
  if (testInfo.project.name !== 'studio') {
    return;
  }
  await panel.page().mouse.move(0, 0); // no hover effects
  await panel.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    animations: 'disabled'
  });
}
