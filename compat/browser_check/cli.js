#!/usr/bin/env node
/**
 * `npx playwright install chromium`, which browser_check runs before its test:
 * nothing to install, index.js launches the system Chromium.
 */
const { executablePath } = require('../../ui-tests/chromium.js');

console.log(
  `browser_check: no browser download; Chromium is ${executablePath}`
);
