/**
 * Playwright configuration: Galata's defaults, the system Chromium, and a
 * JupyterLab started through the SageMaker Studio emulator.
 */
const fs = require('fs');
const path = require('path');

const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const repoRoot = path.resolve(__dirname, '..');
const venvBin = path.join(repoRoot, '.venv', 'bin');
const python = fs.existsSync(path.join(venvBin, 'python'))
  ? path.join(venvBin, 'python')
  : 'python3';
const jupyter = fs.existsSync(path.join(venvBin, 'jupyter'))
  ? path.join(venvBin, 'jupyter')
  : 'jupyter';

const scenario = process.env.STUDIO_SCENARIO || 'happy';
const port = process.env.JUPYTERLAB_PORT || '8888';
// Like SageMaker Studio; jupyter_server_test_config.py reads the same variable.
const basePath = process.env.JUPYTERLAB_BASE_URL || '/jupyterlab/default/';
const serverUrl = `http://127.0.0.1:${port}${basePath.replace(/\/$/, '')}`;
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

module.exports = {
  ...baseConfig,
  reporter: 'list',
  workers: 1,
  retries: 0,
  use: {
    ...baseConfig.use,
    browserName: 'chromium',
    // Galata appends `appPath` ('/lab') to this for page.goto().
    baseURL: serverUrl,
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  },
  webServer: {
    // The emulator applies the scenario's environment (AWS endpoints of the
    // emulated services, Studio variables), writes the app metadata into a
    // temporary state directory (removed when it stops) and exports
    // STUDIO_EMULATOR_METADATA / STUDIO_EMULATOR_URL to JupyterLab.
    command: [
      python,
      '-m',
      'studio_emulator',
      'run',
      '--scenario',
      scenario,
      '--',
      jupyter,
      'lab',
      '--config',
      'ui-tests/jupyter_server_test_config.py'
    ].join(' '),
    cwd: repoRoot,
    env: {
      ...process.env,
      JUPYTERLAB_PORT: port,
      JUPYTERLAB_BASE_URL: basePath
    },
    url: `${serverUrl}/lab`,
    timeout: 180 * 1000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
    // Let the emulator stop JupyterLab and remove its state directory.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10000 }
  }
};
