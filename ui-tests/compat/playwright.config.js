/**
 * The browser smoke test of the compatibility matrix (compat/matrix.py runs
 * it once per image-like environment): that environment's `jupyter lab`
 * (COMPAT_JUPYTER), started through the Studio emulator in the `happy`
 * scenario like ../playwright.config.js does, with the same server
 * configuration, in Debian's Chromium. Plain Playwright, not Galata: Galata's
 * helpers follow the newest JupyterLab, the environments do not.
 */
const path = require('path');

const launchOptions = require('../chromium');
const { repoRoot, studioWebServer } = require('../studio-server');
const jupyter = process.env.COMPAT_JUPYTER;
if (!jupyter) {
  throw new Error('COMPAT_JUPYTER: the `jupyter` of the environment to test');
}
// The emulator needs moto: the dev venv's Python, not the environment's.
const python =
  process.env.COMPAT_EMULATOR_PYTHON ||
  path.join(repoRoot, '.venv', 'bin', 'python');
const port = Number(process.env.JUPYTERLAB_PORT || '8898');
const basePath = '/jupyterlab/default/';
const serverUrl = `http://127.0.0.1:${port}${basePath.replace(/\/$/, '')}`;
const stateDir =
  process.env.COMPAT_STATE_DIR || path.join(__dirname, '.state', String(port));

module.exports = {
  testDir: __dirname,
  // Not *.spec.ts: ../playwright.config.js runs every spec below ui-tests/.
  testMatch: '*.smoke.ts',
  outputDir:
    process.env.COMPAT_OUTPUT_DIR || path.join(__dirname, 'test-results'),
  reporter: 'list',
  workers: 1,
  retries: 0,
  timeout: 180 * 1000,
  use: {
    browserName: 'chromium',
    baseURL: serverUrl,
    viewport: { width: 1280, height: 1000 },
    video: 'off',
    trace: 'off',
    launchOptions
  },
  webServer: studioWebServer({
    python,
    jupyter,
    scenario: 'happy',
    port,
    basePath,
    stateDir,
    reuseExistingServer: false
  })
};
