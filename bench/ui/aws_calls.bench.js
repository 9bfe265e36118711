/**
 * Figure 3, aws_calls_20_vs_1_notebooks: the AWS calls the emulator counts
 * over BENCH_WINDOW_SECONDS with the panel visible at a 10 s refresh, with 1
 * and with BENCH_NOTEBOOKS open notebooks (one python3 kernel each).
 *
 * Phases (the emulator's call log is reset at the start of each):
 * - launch_1 / launch_n: opening the first notebook / the others, until each
 *   kernel's row shows its verdict (kernel starts, not in the figure);
 * - window_1 / window_n: the windows of the figure. Before each, the panel's
 *   explicit refresh fills every server cache and restarts the poll's period,
 *   so both windows start in the same phase;
 * - rotation: with every notebook open, the emulator rotates the container
 *   keys; the phase ends 20 s after the new key's first GetCallerIdentity.
 * The page's own requests to trusted-identity/ are counted per phase too.
 */
const {
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
} = require('./common');

test('AWS calls with 1 and with N notebooks', async ({ page }) => {
  const started = Date.now();
  const base = env('BENCH_LAB_URL');
  const windowMs = envNumber('BENCH_WINDOW_SECONDS', 120) * 1000;
  const notebooks = envNumber('BENCH_NOTEBOOKS', 20);

  const requests = [];
  page.on('request', request => {
    const url = new URL(request.url());
    if (url.pathname.includes('/trusted-identity/')) {
      // ServerConnection adds a cache-busting number to GETs: left out.
      const search = /^\?\d+$/.test(url.search) ? '' : url.search;
      const route = url.pathname
        .replace(/^.*\/trusted-identity\//, '')
        .replace(/[0-9a-f-]{36}/, '{id}');
      requests.push({
        at: Date.now(),
        route: `${request.method()} ${route}${search}`
      });
    }
  });
  const frontend = (from, to) => {
    const counts = {};
    for (const request of requests) {
      if (request.at >= from && request.at <= to) {
        counts[request.route] = (counts[request.route] || 0) + 1;
      }
    }
    return counts;
  };

  const settings = await jupyter(
    base,
    'GET',
    'lab/api/settings/jupyterlab-trusted-identity:plugin'
  );
  const refreshInterval = settings.body.settings.refreshInterval;
  expect(refreshInterval).toBe(10);

  const folder = await makeFolder(base, `aws-calls-${Date.now()}`);
  await gotoLab(page, base);
  await openPanel(page);

  const phases = {};
  const phase = async (name, count, body) => {
    await emulator('DELETE', 'calls');
    const from = Date.now();
    await body();
    const calls = await emulator('GET', 'calls');
    const to = Date.now();
    phases[name] = {
      notebooks: count,
      seconds: (to - from) / 1000,
      calls,
      frontend: frontend(from, to)
    };
    console.log(
      `${name}: ${calls.total} AWS calls in ${((to - from) / 1000).toFixed(0)} s ` +
        JSON.stringify(calls.counts)
    );
  };
  const align = async () => {
    // The panel's refresh: POST identity/check (every cache bypassed) and
    // GET kernels; the poll's next tick is one interval after it.
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('trusted-identity:refresh')
    );
    await page.waitForTimeout(envNumber('BENCH_SETTLE_SECONDS', 5) * 1000);
  };
  const rows = page.locator(`#${PANEL_ID} li.jp-TrustedIdentity-session`);

  await phase('launch_1', 1, async () => {
    await newNotebook(page, folder);
  });
  await align();
  await phase('window_1', 1, async () => {
    await page.waitForTimeout(windowMs);
  });

  await phase('launch_n', notebooks, async () => {
    for (let n = 1; n < notebooks; n++) {
      await newNotebook(page, folder);
    }
    await expect(rows).toHaveCount(notebooks);
  });
  await align();
  await phase('window_n', notebooks, async () => {
    await page.waitForTimeout(windowMs);
  });
  // Every row still shows its verdict, and the panel is still shown.
  await expect(
    rows.and(page.locator('[data-verdict="propagated"]'))
  ).toHaveCount(notebooks);
  await expect(page.locator(`#${PANEL_ID}`)).toBeVisible();

  let newKey = null;
  await phase('rotation', notebooks, async () => {
    newKey = (await emulator('POST', 'rotate')).access_key_id;
    const deadline = Date.now() + 120000;
    while (Date.now() < deadline) {
      const { calls } = await emulator('GET', 'calls');
      if (
        calls.some(
          call =>
            call.operation === 'sts:GetCallerIdentity' &&
            call.access_key_id === newKey
        )
      ) {
        break;
      }
      await page.waitForTimeout(1000);
    }
    await page.waitForTimeout(20000);
  });

  writeResult({
    refresh_interval: refreshInterval,
    visibility: await page.evaluate(() => document.visibilityState),
    phases,
    rotation: { new_key: newKey },
    seconds: (Date.now() - started) / 1000
  });
});
