import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';

import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { ITranslator, nullTranslator } from '@jupyterlab/translation';

/**
 * The plugin id; also the id of its settings schema (schema/plugin.json).
 */
export const PLUGIN_ID = 'jupyterlab-trusted-identity:plugin';

/**
 * Shows whether SageMaker Studio's trusted identity propagation works.
 *
 * For now it checks that the server extension of the same version answers.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    "Shows whether SageMaker Studio propagates the user's IAM Identity Center identity to the AWS sessions of the space and its kernels.",
  autoStart: true,
  optional: [ISettingRegistry, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_trusted_identity'
    );

    if (settingRegistry) {
      settingRegistry.load(PLUGIN_ID).catch(reason => {
        console.error(
          'jupyterlab-trusted-identity: failed to load the settings.',
          reason
        );
      });
    }

    // Not awaited: the handshake must not delay the application start.
    void import('./version')
      .then(async ({ checkServerVersion, notificationSummary }) => {
        const result = await checkServerVersion(
          app.serviceManager.serverSettings
        );
        if (result.ok) {
          console.log(result.message);
          return;
        }
        console.warn(result.message);
        Notification.warning(notificationSummary(result, trans), {
          autoClose: false,
          actions: [
            {
              label: trans.__('Details'),
              callback: () => {
                void showDialog({
                  title: trans.__('Trusted identity: server extension'),
                  body: result.message,
                  buttons: [Dialog.okButton()]
                });
              }
            }
          ]
        });
      })
      .catch(reason => {
        console.error(
          'jupyterlab-trusted-identity: the version check failed.',
          reason
        );
      });
  }
};

export default plugin;
