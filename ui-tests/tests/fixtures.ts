/**
 * Galata's `test` and `expect`, adapted to a JupyterLab served below a base
 * URL (SageMaker Studio's `/jupyterlab/default/`).
 *
 * Galata's `tmpPath` fixture creates the per-test server folder with
 * root-relative `/api/contents/...` requests, which miss a server that has a
 * base URL. This override creates and removes the folder below `baseURL`.
 * Import `test` and `expect` from here, not from '@jupyterlab/galata'.
 */
import { expect, test as base } from '@jupyterlab/galata';
import * as path from 'path';

export const test = base.extend({
  tmpPath: async ({ request, baseURL, serverFiles }, use, testInfo) => {
    const folder = path
      .basename(testInfo.outputDir)
      .replace(/-retry\d+$/i, '');
    const url = `${baseURL}/api/contents/${encodeURIComponent(folder)}`;

    if ((await request.get(`${url}?content=0`)).ok()) {
      await request.delete(url);
    }
    const created = await request.put(url, { data: { type: 'directory' } });
    expect(created.status(), `create the test folder ${folder}`).toBe(201);

    await use(folder);

    if (
      serverFiles === 'off' ||
      (serverFiles === 'only-on-failure' &&
        (testInfo.status === 'passed' || testInfo.status === 'skipped'))
    ) {
      await request.delete(url, { failOnStatusCode: false });
    }
  }
});

export { expect };
