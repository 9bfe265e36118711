/**
 * Playwright configuration: Galata's defaults, the system Chromium, and
 * JupyterLab started through the SageMaker Studio emulator.
 *
 * Two projects, each with its own JupyterLab below Studio's base URL
 * `/jupyterlab/default/` with an empty token:
 *
 * - `studio`: every test, with Galata's server settings (XSRF check off);
 * - `studio-xsrf`: the tests tagged `@xsrf`, with Jupyter's XSRF check on,
 *   like SageMaker Studio (POSTs must carry the `_xsrf` cookie's value).
 */
const fs = require('fs');
const path = require('path');

const { repoRoot, studioWebServer } = require('./studio-server');

const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const venvBin = path.join(repoRoot, '.venv', 'bin');
const python = fs.existsSync(path.join(venvBin, 'python'))
  ? path.join(venvBin, 'python')
  : 'python3';
const jupyter = fs.existsSync(path.join(venvBin, 'jupyter'))
  ? path.join(venvBin, 'jupyter')
  : 'jupyter';

const scenario = process.env.STUDIO_SCENARIO || 'happy';
const port = Number(process.env.JUPYTERLAB_PORT || '8888');
const xsrfPort = Number(process.env.JUPYTERLAB_XSRF_PORT || port + 1);
// Like SageMaker Studio; jupyter_server_test_config.py reads the same variable.
const basePath = process.env.JUPYTERLAB_BASE_URL || '/jupyterlab/default/';
// Each emulator writes its scenario info (with its control URL) here.
const stateRoot = path.join(__dirname, '.state');

const serverUrl = p => `http://127.0.0.1:${p}${basePath.replace(/\/$/, '')}`;
const stateDir = p => path.join(stateRoot, String(p));

/**
 * A JupyterLab started through the emulator on port `p`.
 */
function webServer(p, extraEnv) {
  return studioWebServer({
    python,
    jupyter,
    scenario,
    port: p,
    basePath,
    stateDir: stateDir(p),
    reuseExistingServer: !process.env.CI,
    extraEnv
  });
}

const launchOptions = require('./chromium');

module.exports = {
  ...baseConfig,
  reporter: 'list',
  workers: 1,
  retries: 0,
  use: {
    ...baseConfig.use,
    browserName: 'chromium',
    video: 'off',
    trace: 'off',
    launchOptions
  },
  projects: [
    {
      name: 'studio',
      use: {
        // Galata appends `appPath` ('/lab') to this for page.goto().
        baseURL: serverUrl(port),
        emulatorInfoPath: path.join(stateDir(port), 'emulator-info.json')
      }
    },
    {
      name: 'studio-xsrf',
      grep: /@xsrf/,
      use: {
        baseURL: serverUrl(xsrfPort),
        emulatorInfoPath: path.join(stateDir(xsrfPort), 'emulator-info.json')
      }
    }
  ],
  webServer: [
    webServer(port, {}),
    webServer(xsrfPort, { JUPYTERLAB_XSRF: '1' })
  ]
};
