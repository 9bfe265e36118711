/**
 * How Playwright launches Chromium here, for the UI tests and the browser
 * benchmarks alike: Debian's Chromium (Playwright downloads no browser on
 * these machines), as root in a container.
 */
module.exports = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run'
  ]
};
