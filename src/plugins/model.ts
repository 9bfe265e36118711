/**
 * The model plugin's activation: the model (the only part that talks to the
 * server), its settings loaded live, the version handshake's notification
 * and the rate-limit notification.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';

import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { TrustedIdentityAPI } from '../api';

import { TrustedIdentityModel } from '../model';

import { notifyRateLimited } from '../notifications';

import { TRANSLATION_DOMAIN } from '../translation';

/**
 * The id of the model plugin; also the id of the settings schema
 * (schema/plugin.json), which is why it keeps the name of the extension's
 * first, single plugin.
 */
export const PLUGIN_ID = 'jupyterlab-trusted-identity:plugin';

/**
 * Create the model, follow the settings and the connection, and start
 * polling once the application is restored (not awaited: the first tick runs
 * the handshake without delaying the application's start).
 */
export function activateModel(
  app: JupyterFrontEnd,
  settingRegistry: ISettingRegistry | null,
  translator: ITranslator | null
): TrustedIdentityModel {
  const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
  const model = new TrustedIdentityModel({
    api: new TrustedIdentityAPI({
      serverSettings: app.serviceManager.serverSettings
    })
  });

  // The version handshake: one clear message (and the panel's empty state).
  // The notification and its words load only when it failed.
  model.handshakeFailed.connect((_, result) => {
    if (result.ok) {
      return;
    }
    void import(/* webpackChunkName: "lazy" */ '../notices').then(
      ({ notifyHandshake }) => notifyHandshake(result, trans)
    );
  });
  // An explicit check the server rate-limited: say so (info, not an error).
  notifyRateLimited(model, trans);
  app.serviceManager.connectionFailure?.connect(() => {
    model.noteConnectionLost();
  });

  if (settingRegistry) {
    settingRegistry
      .load(PLUGIN_ID)
      .then(settings => {
        model.applySettings(settings.composite as Record<string, unknown>);
        settings.changed.connect(() => {
          model.applySettings(settings.composite as Record<string, unknown>);
        });
      })
      .catch(reason => {
        console.error(
          'jupyterlab-trusted-identity: failed to load the settings.',
          reason
        );
      });
  }

  void app.restored.then(() => model.start());
  return model;
}
