/**
 * The notebook magic in JupyterLab against the Studio emulator: the card of
 * the identity this kernel's boto3 uses now, propagated in `happy`, then not
 * propagated once the notebook sets static keys in os.environ; the
 * screenshots of its output in docs/screenshots/.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

import { expect, IEmulatorInfo, shoot, test } from './fixtures';

/**
 * The variables a kernelspec the scenario seeded sets (`env` of its
 * kernel.json), as studio_emulator.client.kernelspec_env reads them.
 */
function kernelspecEnv(
  info: IEmulatorInfo,
  name: string
): Record<string, string> {
  const env = info.env as Record<string, string | null>;
  const folder = path.join(
    (env.JUPYTER_PATH ?? '').split(path.delimiter)[0],
    'kernels',
    name
  );
  const spec = JSON.parse(
    fs.readFileSync(path.join(folder, 'kernel.json'), 'utf-8')
  );
  return spec.env;
}

/**
 * Run a cell of the active notebook and return its output area once the
 * magic's card (or any output, when `card` is false) is there.
 */
async function run(
  page: IJupyterLabPageFixture,
  index: number,
  source: string,
  card = true
): Promise<Locator> {
  if (index === 0) {
    await page.notebook.setCell(0, 'code', source);
  } else {
    await page.notebook.addCell('code', source);
  }
  await page.notebook.runCell(index, true);
  const cell = (await page.notebook.getCellLocator(index))!;
  const output = cell.locator('.jp-Cell-outputArea');
  if (card) {
    await expect(output.locator('.jp-TrustedIdentity-card')).toBeVisible({
      timeout: 60000
    });
  }
  return output;
}

test.use({ viewport: { width: 1280, height: 1000 } });

test.describe('Notebook magic', () => {
  test('shows the card of the identity the kernel uses now', async ({
    page,
    tmpPath,
    emulator
  }, testInfo) => {
    test.setTimeout(180000);
    const info = emulator.info();
    const keys = kernelspecEnv(info, 'python3-static-keys');
    const akid = keys.AWS_ACCESS_KEY_ID;
    const secret = keys.AWS_SECRET_ACCESS_KEY;
    const token = String(
      (info.env as Record<string, unknown>).AWS_CONTAINER_AUTHORIZATION_TOKEN
    );
    expect(akid).toMatch(/^AKIA/);
    expect(secret.length).toBeGreaterThan(16);

    await page.evaluate(
      async ({ cwd }) => {
        await window.jupyterapp.commands.execute('notebook:create-new', {
          cwd,
          kernelName: 'python3'
        });
      },
      { cwd: tmpPath }
    );
    await expect(page.locator('.jp-NotebookPanel')).toBeVisible();
    await page.waitForSelector('#jp-main-statusbar >> text=Idle', {
      timeout: 60000
    });

    await run(page, 0, '%load_ext jupyterlab_trusted_identity', false);
    const happy = await run(page, 1, '%trusted_identity');
    const card = happy.locator('.jp-TrustedIdentity-card');
    await expect(card).toHaveAttribute('data-verdict', 'propagated');
    await expect(card).toContainText(
      'Trusted identity of this kernel: \u2714 propagated'
    );
    await expect(card).toContainText(
      'Identity of jdoe@example.com is propagated to connected AWS services.'
    );
    await expect(card).toContainText('Jane Doe <jdoe@example.com>');
    await expect(card).toContainText(
      'arn:aws:sts::111122223333:assumed-role/SageMakerExec/SageMaker'
    );
    await expect(card).toContainText(/container-role, key ASIA\u2026/);
    await expect(card).not.toContainText('To do:');
    await shoot(happy, 'magic-happy', testInfo);

    // The notebook sets static keys at run time: the next run of the magic
    // judges what boto3 would sign with now.
    await run(
      page,
      2,
      'import os\n' +
        `os.environ["AWS_ACCESS_KEY_ID"] = "${akid}"\n` +
        `os.environ["AWS_SECRET_ACCESS_KEY"] = "${secret}"`,
      false
    );
    const staticKeys = await run(page, 3, '%trusted_identity');
    const other = staticKeys.locator('.jp-TrustedIdentity-card');
    await expect(other).toHaveAttribute('data-verdict', 'not_propagated');
    await expect(other).toContainText(
      'Trusted identity of this kernel: \u2718 not propagated'
    );
    await expect(other).toContainText(
      'This session uses static keys from environment variables'
    );
    await expect(other).toContainText('arn:aws:iam::111122223333:user/notebook-bot');
    await expect(other).toContainText(
      `env, key ${akid.slice(0, 4)}\u2026${akid.slice(-4)}`
    );
    await expect(other).toContainText(
      'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY'
    );
    await expect(other).toContainText(
      'To do: Remove the overriding credentials'
    );
    await shoot(staticKeys, 'magic-static-keys', testInfo);

    // No secret in any output: not the keys, not the container's token.
    for (const output of [happy, staticKeys]) {
      const shown = await output.innerHTML();
      for (const value of [akid, secret, token]) {
        expect(shown).not.toContain(value);
      }
    }
  });
});
