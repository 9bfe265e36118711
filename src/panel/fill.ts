/**
 * Fill the side panel that the start-up shell created (its id, icon,
 * caption, place in the layout and visibility are the shell's): a heading,
 * the toolbar, the banner area between the toolbar and the sections, and the
 * sections in SidePanel's own accordion.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { CommandToolbarButton, SidePanel } from '@jupyterlab/ui-components';

import { CommandRegistry } from '@lumino/commands';

import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { MessageLoop } from '@lumino/messaging';

import {
  AccordionPanel,
  PanelLayout,
  SplitLayout,
  Widget
} from '@lumino/widgets';

import type { ISessionRow } from '../components';

import type { TrustedIdentityModel, ModelChange } from '../model';

import { CommandIDs } from '../tokens';

import type { KernelSessionTracker } from '../tracker';

import { createBanner, createSections } from './sections';

import { panelReady } from './views';

/**
 * Options of the panel's content.
 */
export interface IPanelOptions {
  model: TrustedIdentityModel;
  tracker: KernelSessionTracker | null;
  trans: TranslationBundle;
  /**
   * The commands of the toolbar and of a row's re-check; without them, the
   * toolbar is empty and rows have no re-check button.
   */
  commands?: CommandRegistry;
  /**
   * Show a widget of the shell (a row's document).
   */
  activateWidget?: (id: string) => void;
}

/**
 * The commands of the panel's toolbar, in order.
 */
const TOOLBAR_COMMANDS = [
  CommandIDs.refresh,
  CommandIDs.copySummary,
  CommandIDs.downloadAudit
];

/**
 * The section folded at first: services and limits.
 */
const FOLDED_SECTION = 'notes';

/**
 * Fill the panel. Disposing of the result removes what was added.
 */
export function fillPanel(
  panel: SidePanel,
  options: IPanelOptions
): IDisposable {
  const { model, tracker, trans, commands, activateWidget } = options;
  const added: Widget[] = [];

  const heading = new Widget({ node: document.createElement('h2') });
  heading.node.textContent = trans.__('Trusted identity');
  heading.addClass('jp-text-truncated');
  panel.header.addWidget(heading);
  added.push(heading);

  if (commands) {
    for (const id of TOOLBAR_COMMANDS) {
      const button = new CommandToolbarButton({ commands, id, label: '' });
      panel.toolbar.addItem(id.split(':')[1], button);
      added.push(button);
    }
  }
  panel.toolbar.addClass('jp-TrustedIdentity-toolbar');
  panel.toolbar.node.setAttribute(
    'aria-label',
    trans.__('Trusted identity actions')
  );

  const banner = createBanner({ model, tracker, trans });
  // Between the toolbar and the sections.
  const layout = panel.layout as PanelLayout;
  layout.insertWidget(layout.widgets.indexOf(panel.content), banner);
  added.push(banner);

  const sections = createSections({
    model,
    tracker,
    trans,
    onActivate: (row: ISessionRow) => {
      const session = tracker?.findByWidgetId(row.key);
      if (session) {
        activateWidget?.(session.widget.id);
      }
    },
    onRecheck: (row: ISessionRow) => {
      if (row.kernelId && commands?.hasCommand(CommandIDs.recheckKernel)) {
        void commands.execute(CommandIDs.recheckKernel, {
          kernelId: row.kernelId
        });
      }
    }
  });
  for (const section of sections) {
    panel.addWidget(section);
    added.push(section);
  }
  const content = panel.content;
  const folded = sections.findIndex(
    section => section.node.dataset.section === FOLDED_SECTION
  );
  if (content instanceof AccordionPanel && folded >= 0) {
    content.collapse(panel.widgets.indexOf(sections[folded]));
  }
  // A section folded before the accordion was first laid out has no size to
  // return to, so the accordion opens it with none: its content (the access
  // test among it) would be out of reach. Open it with an equal share.
  const onExpansion = (accordion: AccordionPanel, index: number) => {
    const sizes = (accordion.layout as SplitLayout).absoluteSizes();
    const open = accordion.widgets.map(widget => !widget.isHidden);
    const shown = open.filter(Boolean).length;
    const total = sizes.reduce((sum, size) => sum + size, 0);
    if (!open[index] || !shown || sizes[index] >= total / shown / 2) {
      return;
    }
    accordion.setRelativeSizes(open.map(isOpen => (isOpen ? 1 : 0)));
  };
  if (content instanceof AccordionPanel) {
    content.expansionToggled.connect(onExpansion);
  }

  // The sections are shown with a report; the banner area says why not.
  const showReady = () => {
    const ready = panelReady(model);
    content.setHidden(!ready);
    panel.toggleClass('jp-mod-empty', !ready);
  };
  const onChanged = (_: unknown, change: ModelChange) => {
    if (change === 'state' || change === 'server') {
      showReady();
    }
  };
  model.changed.connect(onChanged);
  showReady();

  // The accordion lays its sections out for its own height, which changes
  // when the banner above it grows or shrinks (a longer verdict, the empty
  // state): lay them out again then, as on a resize of the sidebar.
  const resized =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver(() => {
          if (!content.isDisposed) {
            MessageLoop.sendMessage(content, Widget.ResizeMessage.UnknownSize);
          }
        });
  resized?.observe(content.node);

  return new DisposableDelegate(() => {
    resized?.disconnect();
    model.changed.disconnect(onChanged);
    if (content instanceof AccordionPanel) {
      content.expansionToggled.disconnect(onExpansion);
    }
    for (const widget of added) {
      widget.dispose();
    }
  });
}
