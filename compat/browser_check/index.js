/**
 * Stands in for the `playwright` package that `python -m jupyterlab.browser_check`
 * would install with npm into `<app dir>/browser_test/node_modules` (compat/matrix.py
 * links it there): the UI tests' Playwright (ui-tests/node_modules), launching
 * Debian's Chromium with the UI tests' options (ui-tests/chromium.js), since these
 * machines download no browser. JupyterLab's own browser-test.js and its checks run
 * unchanged.
 */
const path = require('path');

const uiTests = path.resolve(__dirname, '..', '..', 'ui-tests');
const playwright = require(path.join(uiTests, 'node_modules', 'playwright'));
const launchOptions = require(path.join(uiTests, 'chromium.js'));

module.exports = {
  chromium: {
    launch: options =>
      playwright.chromium.launch({ ...launchOptions, ...options })
  }
};
