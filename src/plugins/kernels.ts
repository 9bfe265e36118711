/**
 * The kernel hook's activation: the tracker that checks every notebook and
 * console kernel when it starts, and the notification of a kernel that runs
 * without the propagated identity.
 */
import { ILabShell, JupyterFrontEnd } from '@jupyterlab/application';

import { IConsoleTracker } from '@jupyterlab/console';

import { INotebookTracker } from '@jupyterlab/notebook';

import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import type { TrustedIdentityModel } from '../model';

import { PANEL_ID } from '../tokens';

import { IWidgetTrackerLike, KernelSessionTracker } from '../tracker';

import { TRANSLATION_DOMAIN } from '../translation';

import { PLUGIN_ID } from './model';

/**
 * Follow the notebooks and consoles; notify (the notification and its words
 * load when one is due: notices.ts) when a start is not propagated; run the probe inside
 * the kernel, loaded only when the setting asks for it.
 */
export function activateKernelHook(
  app: JupyterFrontEnd,
  model: TrustedIdentityModel,
  labShell: ILabShell | null,
  notebooks: INotebookTracker | null,
  consoles: IConsoleTracker | null,
  settingRegistry: ISettingRegistry | null,
  translator: ITranslator | null
): KernelSessionTracker {
  const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
  return new KernelSessionTracker({
    model,
    notebooks: notebooks as unknown as IWidgetTrackerLike | null,
    consoles: consoles as unknown as IWidgetTrackerLike | null,
    shell: labShell,
    probe: kernel =>
      import(/* webpackChunkName: "lazy" */ '../probe').then(
        ({ probeKernel }) => probeKernel(kernel)
      ),
    notify: (report, session) => {
      void import(/* webpackChunkName: "lazy" */ '../notices').then(
        ({ notifyKernelStart }) =>
          notifyKernelStart({
            report,
            documentName: session?.name ?? null,
            trans,
            openPanel: () => app.shell.activateById(PANEL_ID),
            turnOff: settingRegistry
              ? () => {
                  void settingRegistry
                    .load(PLUGIN_ID)
                    .then(settings =>
                      settings.set('notifyWhenNotPropagated', false)
                    );
                }
              : null
          })
      );
    }
  });
}
