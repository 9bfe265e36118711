/**
 * Issue 9, startup_js_vs_resource_usage: which files of our labextension's
 * static/ JupyterLab fetches while it starts (until `app.restored` and the
 * network is quiet), and which only when the Trusted identity panel is first
 * shown. bench/browser.py sizes the files from the build the server serves.
 *
 * Each load is a fresh browser context (cold HTTP cache), so every file the
 * start-up needs is fetched and shows in the resource timing entries.
 */
const {
  env,
  envNumber,
  gotoLab,
  openPanel,
  test,
  writeResult
} = require('./common');

const STATIC = '/lab/extensions/jupyterlab-trusted-identity/static/';

async function ourFiles(page) {
  return page.evaluate(prefix => {
    const names = performance
      .getEntriesByType('resource')
      .map(item => new URL(item.name).pathname)
      .filter(path => path.includes(prefix))
      .map(path => path.slice(path.indexOf(prefix) + prefix.length));
    return [...new Set(names)].sort();
  }, STATIC);
}

test('our JavaScript at start-up and when the panel opens', async ({
  browser
}) => {
  const base = env('BENCH_LAB_URL');
  const loads = envNumber('BENCH_LOADS', 3);
  const results = [];
  for (let n = 0; n < loads; n++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() =>
      performance.setResourceTimingBufferSize(100000)
    );
    await gotoLab(page, base);
    // What start-up fetches late (after restored) still counts: wait for quiet.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(2000);
    const startup = await ourFiles(page);
    await openPanel(page);
    await page.waitForLoadState('networkidle');
    const afterPanel = await ourFiles(page);
    results.push({
      startup,
      panel: afterPanel.filter(name => !startup.includes(name))
    });
    await context.close();
  }
  writeResult({ loads: results });
});
