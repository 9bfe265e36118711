import { expect, test } from './fixtures';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The version of the frontend package (the root package.json).
 */
const FRONTEND_VERSION: string = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf-8')
).version;

/**
 * Don't load JupyterLab before the test: the console messages of the plugin
 * activation must all be captured.
 */
test.use({ autoGoto: false });

test('activates and finds the server extension of the same version', async ({
  page
}) => {
  const logs: string[] = [];
  page.on('console', message => {
    logs.push(message.text());
  });

  await page.goto();

  const expected = `jupyterlab-trusted-identity: server extension ${FRONTEND_VERSION} (schema 1)`;
  const ours = () =>
    logs.filter(line => line.startsWith('jupyterlab-trusted-identity:'));

  // The handshake logs one line: the success message, or a warning that the
  // server extension is missing or mismatched (shown on failure).
  await expect
    .poll(ours, { message: 'a handshake console message', timeout: 15000 })
    .not.toHaveLength(0);
  expect(ours()).toEqual([expected]);
  expect(logs.filter(line => /mismatch/i.test(line))).toEqual([]);
});

test('serves JupyterLab below the Studio base URL', async ({ page }) => {
  const basePath = process.env.JUPYTERLAB_BASE_URL || '/jupyterlab/default/';
  await page.goto();
  expect(new URL(page.url()).pathname.startsWith(`${basePath}lab`)).toBe(true);
  const baseUrl = await page.evaluate(
    () =>
      JSON.parse(
        document.getElementById('jupyter-config-data')?.textContent ?? '{}'
      ).baseUrl
  );
  expect(baseUrl).toBe(basePath);
});
