/**
 * The status bar item (src/statusbar): its view model, tested as a function
 * of the model, and the item that renders it again only when it changes.
 */
import { nullTranslator } from '@jupyterlab/translation';

import { Widget } from '@lumino/widgets';

import { IdentityStatusItem, statusView } from '../statusbar';

import { FakeKernel, FakeWidget } from './fakes';

import { json, quietConsole, waitFor } from './helpers';

import { happy, sharedSpace } from './reports';

import { K1, setupWorkbench } from './workbench';

const trans = nullTranslator.load('jupyterlab_trusted_identity');

quietConsole('log', 'warn');
afterEach(() => {
  document.body.innerHTML = '';
});

describe('status bar item', () => {
  it('shows the current notebook, else the space, else the state', async () => {
    const { model, tracker, notebooks, shell } = setupWorkbench({
      'POST identity/check': () => json(sharedSpace())
    });
    expect(statusView(model, null, trans)).toMatchObject({
      verdict: 'checking',
      scope: 'none',
      text: 'Identity…'
    });
    await model.refresh();
    expect(statusView(model, null, trans)).toMatchObject({
      scope: 'server',
      verdict: 'not_propagated',
      text: 'Not propagated'
    });
    const onClick = jest.fn();
    const item = new IdentityStatusItem({ model, tracker, trans, onClick });
    Widget.attach(item, document.body);

    const widget = new FakeWidget('aws.ipynb');
    notebooks.add(widget);
    widget.context.setKernel(new FakeKernel(K1));
    shell.activate(widget);
    expect(statusView(model, tracker.current, trans)).toMatchObject({
      scope: 'kernel',
      verdict: 'checking'
    });
    widget.context.setStatus('idle');
    await waitFor(() => !!model.kernel(K1)?.report);
    const view = statusView(model, tracker.current, trans);
    expect(view).toMatchObject({
      scope: 'kernel',
      verdict: 'not_propagated',
      tone: 'error'
    });
    expect(view.tooltip).toContain('AWS_PROFILE');
    await waitFor(
      () =>
        item.node
          .querySelector('[data-scope="kernel"]')
          ?.getAttribute('data-verdict') === 'not_propagated'
    );
    const button = item.node.querySelector('[role="button"]') as HTMLElement;
    expect(button.getAttribute('tabindex')).toBe('0');
    expect(button.getAttribute('aria-label')).toBe(view.tooltip);
    button.click();
    button.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
    );
    expect(onClick).toHaveBeenCalledTimes(2);

    // A propagated kernel shows the user name.
    model.forgetKernel(K1);
    model.kernelLaunched(K1, false);
    await model.recheckKernel(K1);
    expect(statusView(model, tracker.current, trans)).toMatchObject({
      text: 'jdoe',
      tone: 'success'
    });
    await waitFor(
      () =>
        item.node.querySelector('.jp-TrustedIdentity-statusText')
          ?.textContent === 'jdoe'
    );
    item.dispose();
  });

  it('says the identity is unavailable without a report', async () => {
    const { model } = setupWorkbench({
      'GET version': () => new Response('', { status: 404 })
    });
    await model.refresh();
    expect(statusView(model, null, trans)).toMatchObject({
      tone: 'warn',
      text: 'Identity unavailable',
      verdict: 'server-missing',
      scope: 'none'
    });
  });

  it('renders again only when what it shows changes', async () => {
    let answer = happy();
    const { model, tracker } = setupWorkbench({
      'POST identity/check': () => json(answer)
    });
    const item = new IdentityStatusItem({
      model,
      tracker,
      trans,
      onClick: jest.fn()
    });
    Widget.attach(item, document.body);
    const update = jest.spyOn(item, 'update');
    await model.refresh();
    expect(update).toHaveBeenCalled();
    await waitFor(() => text() === 'jdoe');
    update.mockClear();
    // Settings are not shown; the same report again changes nothing shown.
    model.applySettings({ expiryWarningMinutes: 5 });
    await model.refresh();
    expect(update).not.toHaveBeenCalled();
    // Hidden, it does not render; shown again, it catches up once.
    item.hide();
    answer = sharedSpace();
    await model.refresh();
    expect(update).not.toHaveBeenCalled();
    item.show();
    expect(update).toHaveBeenCalledTimes(1);
    await waitFor(() => text() === 'Not propagated');
    item.dispose();

    function text(): string | null | undefined {
      return item.node.querySelector('.jp-TrustedIdentity-statusText')
        ?.textContent;
    }
  });
});
