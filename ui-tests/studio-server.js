/**
 * The Playwright web server of a JupyterLab in an emulated Studio space: the
 * Studio emulator applies the scenario's environment (AWS endpoints of the
 * emulated services, Studio variables), writes the app metadata into its
 * state directory and runs `jupyter lab` below Studio's base URL with
 * jupyter_server_test_config.py. One home for the Galata run
 * (playwright.config.js) and the compatibility smoke test
 * (compat/playwright.config.js).
 */
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');

/**
 * @param {object} options
 * @param {string} options.python The Python that runs the emulator (it needs moto).
 * @param {string} options.jupyter The `jupyter` that runs JupyterLab.
 * @param {string} options.scenario The emulated scenario.
 * @param {number} options.port JupyterLab's port.
 * @param {string} options.basePath JupyterLab's base URL, e.g. `/jupyterlab/default/`.
 * @param {string} options.stateDir The emulator's state directory.
 * @param {boolean} options.reuseExistingServer Reuse a JupyterLab already there.
 * @param {object} [options.extraEnv] More variables for JupyterLab.
 */
function studioWebServer(options) {
  const { python, jupyter, scenario, port, basePath, stateDir } = options;
  const serverUrl = `http://127.0.0.1:${port}${basePath.replace(/\/$/, '')}`;
  return {
    command: [
      python,
      '-m',
      'studio_emulator',
      'run',
      '--scenario',
      scenario,
      '--state-dir',
      stateDir,
      '--',
      jupyter,
      'lab',
      '--config',
      'ui-tests/jupyter_server_test_config.py'
    ].join(' '),
    cwd: repoRoot,
    env: {
      ...process.env,
      JUPYTERLAB_PORT: String(port),
      JUPYTERLAB_BASE_URL: basePath,
      ...(options.extraEnv || {})
    },
    url: `${serverUrl}/lab`,
    timeout: 180 * 1000,
    reuseExistingServer: options.reuseExistingServer,
    stdout: 'pipe',
    stderr: 'pipe',
    // Let the emulator stop JupyterLab.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10000 }
  };
}

module.exports = { repoRoot, studioWebServer };
