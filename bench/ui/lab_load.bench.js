/**
 * Figure 6, lab_load_with_vs_without: JupyterLab loads until `app.restored`
 * resolves, alternating BENCH_LAB_WITH (the extension installed) and
 * BENCH_LAB_WITHOUT (neither the labextension nor the server extension), a
 * fresh browser context (cold HTTP cache) per load.
 *
 * An init script traps the assignment of `window.jupyterapp` (Galata's
 * server configuration exposes the application) and records
 * performance.now() (milliseconds since the navigation started) when
 * `started` and `restored` resolve.
 */
const { env, envNumber, test, writeResult } = require('./common');

const PLUGIN_ID = 'jupyterlab-trusted-identity:plugin';

function trapApp(pluginId) {
  // JupyterLab's load makes more requests than the default buffer holds.
  performance.setResourceTimingBufferSize(100000);
  let app;
  window.__benchLoad = new Promise(resolve => {
    Object.defineProperty(window, 'jupyterapp', {
      configurable: true,
      get: () => app,
      set: value => {
        app = value;
        // Our plugins' activations (synchronous parts), summed, when they are
        // there: the registry reads `activate` only once a plugin's turn comes.
        const registry = value.pluginRegistry || value._pluginRegistry;
        const prefix = pluginId.split(':')[0] + ':';
        for (const [id, data] of registry?._plugins ?? []) {
          if (!id.startsWith(prefix)) {
            continue;
          }
          const activate = data.activate;
          data.activate = (...args) => {
            const start = performance.now();
            try {
              return activate(...args);
            } finally {
              const before = window.__benchActivate;
              window.__benchActivate = {
                at: before ? before.at : start,
                ms: (before ? before.ms : 0) + performance.now() - start
              };
            }
          };
        }
        const started = value.started.then(() => performance.now());
        value.restored.then(async () => {
          const restored = performance.now();
          resolve({ restored, started: await started });
        });
      }
    });
  });
}

test('JupyterLab load with vs without the extension', async ({ browser }) => {
  const begun = Date.now();
  const targets = {
    with: env('BENCH_LAB_WITH'),
    without: env('BENCH_LAB_WITHOUT')
  };
  const loads = envNumber('BENCH_LOADS', 15);
  const warmup = envNumber('BENCH_WARMUP', 2);
  const checks = {};
  const results = [];

  for (let n = 0; n < warmup + loads; n++) {
    // with, without; then without, with; ... (ABBA): drift hits both alike.
    const order = n % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
    for (const target of order) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(trapApp, PLUGIN_ID);
      // The renderer's main-thread time (tasks, scripts, style, layout).
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(`${targets[target]}/lab`, { waitUntil: 'commit' });
      const times = await page.evaluate(() => window.__benchLoad);
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = name =>
        1000 * (metrics.find(item => item.name === name)?.value ?? NaN);
      const details = await page.evaluate(pluginId => {
        const resources = performance.getEntriesByType('resource');
        const ours = resources.filter(item =>
          item.name.includes('/jupyterlab-trusted-identity/')
        );
        const sum = items =>
          items.reduce((total, item) => total + (item.transferSize || 0), 0);
        const navigation = performance.getEntriesByType('navigation')[0];
        return {
          has_plugin: window.jupyterapp.hasPlugin(pluginId),
          activate_ms: window.__benchActivate?.ms ?? null,
          activate_at_ms: window.__benchActivate?.at ?? null,
          activated: window.jupyterapp.isPluginActivated(pluginId),
          requests: resources.length,
          transfer_bytes: sum(resources) + (navigation?.transferSize || 0),
          extension_requests: ours.length,
          extension_bytes: sum(ours),
          dom_content_loaded_ms: navigation?.domContentLoadedEventEnd ?? null,
          load_event_ms: navigation?.loadEventEnd ?? null
        };
      }, PLUGIN_ID);
      checks[`${target}_has_plugin`] = details.has_plugin;
      results.push({
        target,
        round: n,
        warmup: n < warmup,
        restored_ms: times.restored,
        started_ms: times.started,
        task_ms: metric('TaskDuration'),
        script_ms: metric('ScriptDuration'),
        style_ms: metric('RecalcStyleDuration'),
        layout_ms: metric('LayoutDuration'),
        ...details
      });
      console.log(
        `${n < warmup ? 'warm-up' : `load ${n - warmup + 1}`} ${target}: ` +
          `restored at ${times.restored.toFixed(0)} ms`
      );
      await context.close();
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
  writeResult({
    loads: results,
    checks,
    seconds: (Date.now() - begun) / 1000
  });
});
