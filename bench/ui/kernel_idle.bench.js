/**
 * Figure 4, kernel_idle_to_ui_ms: from a kernel reaching idle to its verdict
 * shown in the panel, for BENCH_SAMPLES new notebooks after one warm-up.
 *
 * In the page, with performance.now():
 * - idle: the notebook's session context emits the status `idle` for its new
 *   kernel (the signal the extension's kernel-launch hook reacts to);
 * - shown: a MutationObserver on the panel sees the kernel's session row with
 *   a verdict (`data-verdict` other than checking/unchecked);
 * - baseline: at the same idle, the page fetches GET
 *   trusted-identity/kernels/{id} itself (the floor of the path: the data).
 * The extension's own request is timed from the Resource Timing entries.
 */
const {
  PANEL_ID,
  env,
  envNumber,
  gotoLab,
  makeFolder,
  openPanel,
  test,
  writeResult
} = require('./common');

test('kernel idle to verdict shown', async ({ page }) => {
  const started = Date.now();
  const base = env('BENCH_LAB_URL');
  const samples = envNumber('BENCH_SAMPLES', 10);
  const folder = await makeFolder(base, `kernel-idle-${Date.now()}`);
  await gotoLab(page, base);
  await openPanel(page);

  // The observer of the session rows: first time each kernel's row shows a
  // verdict.
  await page.evaluate(id => {
    // JupyterLab's load fills the default buffer (250 entries).
    performance.setResourceTimingBufferSize(100000);
    performance.clearResourceTimings();
    const pending = new Set(['checking', 'unchecked', 'no-kernel', '']);
    const shown = new Map();
    const waiters = new Map();
    const scan = () => {
      const now = performance.now();
      for (const row of document.querySelectorAll(
        `#${id} li.jp-TrustedIdentity-session[data-kernel-id]`
      )) {
        const kernelId = row.getAttribute('data-kernel-id');
        const verdict = row.getAttribute('data-verdict') || '';
        if (kernelId && !pending.has(verdict) && !shown.has(kernelId)) {
          shown.set(kernelId, { at: now, verdict });
          const waiter = waiters.get(kernelId);
          if (waiter) {
            waiters.delete(kernelId);
            waiter(shown.get(kernelId));
          }
        }
      }
    };
    new MutationObserver(scan).observe(document.getElementById(id), {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-verdict', 'data-kernel-id']
    });
    window.__bench = {
      shown: kernelId =>
        shown.has(kernelId)
          ? Promise.resolve(shown.get(kernelId))
          : new Promise(resolve => waiters.set(kernelId, resolve))
    };
  }, PANEL_ID);

  const results = [];
  for (let n = 0; n <= samples; n++) {
    const sample = await page.evaluate(async cwd => {
      const app = window.jupyterapp;
      const baseUrl = app.serviceManager.serverSettings.baseUrl;
      const widget = await app.commands.execute('notebook:create-new', {
        cwd,
        kernelName: 'python3'
      });
      const context = widget.sessionContext;
      const statusAtConnect = context.session?.kernel?.status ?? 'none';
      const idle = await new Promise(resolve => {
        const onStatus = (_, status) => {
          const kernel = context.session?.kernel;
          if (status === 'idle' && kernel) {
            const at = performance.now();
            context.statusChanged.disconnect(onStatus);
            // The baseline: the same report, asked at the same moment.
            const url = `${baseUrl}trusted-identity/kernels/${kernel.id}?bench=1`;
            const fetched = fetch(url, { cache: 'no-store' }).then(
              async response => {
                await response.json();
                return { status: response.status, at: performance.now() };
              }
            );
            resolve({ at, kernelId: kernel.id, fetched });
          }
        };
        context.statusChanged.connect(onStatus);
      });
      const shown = await window.__bench.shown(idle.kernelId);
      const fetched = await idle.fetched;
      const entry = performance.getEntriesByType('resource').find(item => {
        // The extension's request (ServerConnection adds a cache-busting
        // number), not the baseline's (?bench=1).
        const url = new URL(item.name);
        return (
          url.pathname.endsWith(`/trusted-identity/kernels/${idle.kernelId}`) &&
          !url.searchParams.has('bench')
        );
      });
      await context.shutdown();
      widget.dispose();
      return {
        kernel_id: idle.kernelId,
        status_at_connect: statusAtConnect,
        verdict: shown.verdict,
        ui_ms: shown.at - idle.at,
        fetch_ms: fetched.at - idle.at,
        fetch_status: fetched.status,
        idle_to_request_ms: entry ? entry.startTime - idle.at : null,
        request_ms: entry ? entry.responseEnd - entry.startTime : null,
        response_to_shown_ms: entry ? shown.at - entry.responseEnd : null
      };
    }, folder);
    sample.warmup = n === 0;
    results.push(sample);
    console.log(
      `${sample.warmup ? 'warm-up' : `sample ${n}`}: idle -> ${sample.verdict} ` +
        `${sample.ui_ms.toFixed(1)} ms (GET ${sample.fetch_ms.toFixed(1)} ms)`
    );
    await page.waitForTimeout(1000);
  }
  writeResult({ samples: results, seconds: (Date.now() - started) / 1000 });
});
