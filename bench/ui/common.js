/**
 * Helpers shared by the browser benchmarks. bench/browser.py starts the
 * servers and passes, in the environment:
 *
 * - BENCH_LAB_URL: a JupyterLab below its base URL, without the trailing
 *   slash (e.g. http://127.0.0.1:41234/jupyterlab/default);
 * - BENCH_EMULATOR_URL: the Studio emulator of that JupyterLab;
 * - BENCH_OUT: where the spec writes its JSON result;
 * - figure-specific knobs (BENCH_*).
 *
 * The JupyterLab servers run with ui-tests/jupyter_server_test_config.py, so
 * `window.jupyterapp` is exposed (Galata's server configuration) and neither
 * a token nor the XSRF header is needed.
 */
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
// One copy of Playwright: the one of ui-tests/, whose runner runs these specs.
const { test, expect } = require(
  path.join(REPO, 'ui-tests', 'node_modules', '@playwright', 'test')
);

const PANEL_ID = 'jupyterlab-trusted-identity';

/**
 * A required environment variable.
 */
function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the benchmarks with python -m bench`
    );
  }
  return value;
}

/**
 * A number from the environment, or a default.
 */
function envNumber(name, fallback) {
  const value = process.env[name];
  return value ? Number(value) : fallback;
}

/**
 * Write the spec's result for bench/browser.py.
 */
function writeResult(data) {
  fs.writeFileSync(env('BENCH_OUT'), JSON.stringify(data, null, 2));
}

/**
 * A JSON request to the emulator's control API.
 */
async function emulator(method, route, body) {
  const response = await fetch(
    `${env('BENCH_EMULATOR_URL')}/_emulator/${route}`,
    {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined
    }
  );
  if (!response.ok) {
    throw new Error(`${method} _emulator/${route}: ${response.status}`);
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * A request to the JupyterLab server (no token, no XSRF: test configuration).
 */
async function jupyter(base, method, route, body) {
  const response = await fetch(`${base}/${route}`, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/**
 * Create a folder below the server root for a spec's notebooks.
 */
async function makeFolder(base, name) {
  const { status } = await jupyter(base, 'PUT', `api/contents/${name}`, {
    type: 'directory'
  });
  if (status !== 201 && status !== 200) {
    throw new Error(`cannot create the folder ${name}: ${status}`);
  }
  return name;
}

/**
 * Load JupyterLab and wait until it is restored.
 */
async function gotoLab(page, base) {
  await page.goto(`${base}/lab`);
  await page.waitForFunction(() => !!window.jupyterapp, null, {
    timeout: 120000
  });
  await page.evaluate(() => window.jupyterapp.restored);
}

/**
 * Show the Trusted identity panel and wait for the space's verdict.
 */
async function openPanel(page, verdict = 'propagated') {
  await page.evaluate(id => window.jupyterapp.shell.activateById(id), PANEL_ID);
  const banner = page.locator(`#${PANEL_ID} .jp-TrustedIdentity-banner`);
  await expect(banner).toHaveAttribute('data-verdict', verdict, {
    timeout: 60000
  });
  return page.locator(`#${PANEL_ID}`);
}

/**
 * Create a notebook on a python3 kernel in `cwd` and wait until its kernel is
 * idle and its session row in the panel shows `verdict`.
 *
 * @returns the kernel id.
 */
async function newNotebook(page, cwd, verdict = 'propagated') {
  const kernelId = await page.evaluate(async cwd => {
    const widget = await window.jupyterapp.commands.execute(
      'notebook:create-new',
      { cwd, kernelName: 'python3' }
    );
    const context = widget.sessionContext;
    await context.ready;
    const kernel = context.session.kernel;
    if (kernel.status !== 'idle') {
      await new Promise(resolve => {
        const onStatus = (_, status) => {
          if (status === 'idle') {
            kernel.statusChanged.disconnect(onStatus);
            resolve();
          }
        };
        kernel.statusChanged.connect(onStatus);
      });
    }
    return kernel.id;
  }, cwd);
  await expect(
    page.locator(
      `#${PANEL_ID} li.jp-TrustedIdentity-session[data-kernel-id="${kernelId}"]`
    )
  ).toHaveAttribute('data-verdict', verdict, { timeout: 60000 });
  return kernelId;
}

module.exports = {
  PANEL_ID,
  emulator,
  env,
  envNumber,
  expect,
  gotoLab,
  jupyter,
  makeFolder,
  newNotebook,
  openPanel,
  test,
  writeResult
};
