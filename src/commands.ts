/**
 * The commands of the extension, in the palette under "Trusted Identity".
 * Registered at start-up; the actions of copying the summary and downloading
 * the audit trail load (summary.ts, download.ts) when the user runs them.
 */
import { ICommandPalette } from '@jupyterlab/apputils';

import { TranslationBundle } from '@jupyterlab/translation';

import { copyIcon, downloadIcon, refreshIcon } from '@jupyterlab/ui-components';

import { CommandRegistry } from '@lumino/commands';

import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { identityIcon } from './icons';

import { TrustedIdentityModel } from './model';

import { CommandIDs } from './tokens';

import { KernelSessionTracker } from './tracker';

/**
 * Options of `addCommands`.
 */
export interface ICommandsOptions {
  commands: CommandRegistry;
  model: TrustedIdentityModel;
  tracker: KernelSessionTracker | null;
  trans: TranslationBundle;
  /**
   * Show and activate the panel.
   */
  openPanel: () => void;
  palette?: ICommandPalette | null;
  /**
   * Save a file in the browser (tests replace it).
   */
  download?: (filename: string, text: string, type: string) => void;
  /**
   * Copy text to the clipboard (tests replace it).
   */
  copy?: (text: string) => void;
}

/**
 * Add the commands (and their palette items).
 */
export function addCommands(options: ICommandsOptions): IDisposable[] {
  const { commands, model, tracker, trans, palette } = options;
  const category = trans.__('Trusted Identity');
  const disposables: IDisposable[] = [];

  const currentKernelId = (args: Record<string, unknown>): string | null => {
    if (typeof args.kernelId === 'string' && args.kernelId) {
      return args.kernelId;
    }
    return tracker?.current?.kernelId ?? null;
  };

  disposables.push(
    commands.addCommand(CommandIDs.open, {
      describedBy: { args: { type: 'object', properties: {} } },
      label: trans.__('Open the Trusted Identity Panel'),
      caption: trans.__('Show whether your identity is propagated to AWS'),
      icon: args => (args.isPalette ? undefined : identityIcon),
      execute: () => options.openPanel()
    })
  );

  disposables.push(
    commands.addCommand(CommandIDs.refresh, {
      describedBy: { args: { type: 'object', properties: {} } },
      label: trans.__('Refresh the Identity Checks'),
      caption: trans.__('Check the identity again, bypassing cached answers'),
      icon: args => (args.isPalette ? undefined : refreshIcon),
      isEnabled: () => !model.refreshing,
      execute: async () => {
        await model.refresh();
      }
    })
  );

  disposables.push(
    commands.addCommand(CommandIDs.verifyCloudTrail, {
      describedBy: { args: { type: 'object', properties: {} } },
      label: trans.__('Look Up CloudTrail Again'),
      caption: trans.__(
        'Ask CloudTrail again whom this session acts for, even when it already verified the identity'
      ),
      icon: args => (args.isPalette ? undefined : refreshIcon),
      isEnabled: () => !model.refreshing,
      execute: async () => {
        await model.refresh({ cloudtrail: true });
      }
    })
  );

  disposables.push(
    commands.addCommand(CommandIDs.recheckKernel, {
      describedBy: {
        args: {
          type: 'object',
          properties: {
            kernelId: {
              type: 'string',
              description: trans.__(
                'The id of the kernel to check; the current kernel by default'
              )
            }
          }
        }
      },
      label: trans.__("Re-check the Current Kernel's Identity"),
      caption: trans.__(
        'Run every check again for the kernel of the current notebook or console'
      ),
      icon: args => (args.isPalette ? undefined : refreshIcon),
      isEnabled: args => !!currentKernelId(args),
      execute: async args => {
        const kernelId = currentKernelId(args);
        if (!kernelId) {
          return null;
        }
        return tracker
          ? tracker.recheck(kernelId)
          : model.recheckKernel(kernelId);
      }
    })
  );

  disposables.push(
    commands.addCommand(CommandIDs.copySummary, {
      describedBy: { args: { type: 'object', properties: {} } },
      label: trans.__('Copy the Identity Summary'),
      caption: trans.__(
        'Copy a summary of the identity checks (no secrets) to the clipboard'
      ),
      icon: args => (args.isPalette ? undefined : copyIcon),
      isEnabled: () => !!model.report,
      execute: async () => {
        // The action and the summary's words load when the user asks.
        const { copySummary } = await import(
          /* webpackChunkName: "lazy" */ './summary'
        );
        copySummary({ model, tracker, trans, copy: options.copy });
      }
    })
  );

  disposables.push(
    commands.addCommand(CommandIDs.downloadAudit, {
      describedBy: { args: { type: 'object', properties: {} } },
      label: trans.__('Download the Identity Audit Trail (CSV)'),
      caption: trans.__('Download the audit trail of identity checks as CSV'),
      icon: args => (args.isPalette ? undefined : downloadIcon),
      execute: async () => {
        const { downloadAudit } = await import(
          /* webpackChunkName: "lazy" */ './download'
        );
        await downloadAudit({
          api: model.api,
          trans,
          download: options.download
        });
      }
    })
  );

  // Keep enabled states in step with the model and the current widget.
  const notify = () => commands.notifyCommandChanged();
  model.changed.connect(notify);
  tracker?.currentChanged.connect(notify);
  disposables.push(
    new DisposableDelegate(() => {
      model.changed.disconnect(notify);
      tracker?.currentChanged.disconnect(notify);
    })
  );

  if (palette) {
    for (const command of [
      CommandIDs.open,
      CommandIDs.refresh,
      CommandIDs.verifyCloudTrail,
      CommandIDs.recheckKernel,
      CommandIDs.copySummary,
      CommandIDs.downloadAudit
    ]) {
      disposables.push(
        palette.addItem({ command, category, args: { isPalette: true } })
      );
    }
  }
  return disposables;
}
