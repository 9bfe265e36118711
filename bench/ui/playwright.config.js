/**
 * Playwright configuration of the browser benchmarks (bench/browser.py runs
 * them). The servers are started by bench/browser.py, which passes their URLs
 * in the environment (see common.js); nothing is started here.
 *
 * Run it with the runner of ui-tests/node_modules:
 *   ui-tests/node_modules/.bin/playwright test --config bench/ui/playwright.config.js
 */
module.exports = {
  testDir: __dirname,
  testMatch: '*.bench.js',
  reporter: 'list',
  workers: 1,
  retries: 0,
  fullyParallel: false,
  // The figures wait for minutes on purpose (2-minute windows).
  timeout: 30 * 60 * 1000,
  outputDir: require('path').resolve(__dirname, '..', 'out', 'ui-results'),
  use: {
    browserName: 'chromium',
    headless: true,
    video: 'off',
    trace: 'off',
    screenshot: 'off',
    viewport: { width: 1280, height: 900 },
    launchOptions: require('../../ui-tests/chromium')
  }
};
