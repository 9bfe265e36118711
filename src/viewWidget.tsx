/**
 * A React widget that shows a view model derived from the model, and renders
 * again only when that view changes: it listens to the signals its view
 * depends on (the model's `changed`, filtered by the kinds of change its view
 * reads), derives the view again, and skips the render when the new view
 * equals the one shown. While hidden (a folded section, a closed panel) it
 * only notes that the view may be stale and derives it when shown again.
 */
import { ReactWidget } from '@jupyterlab/apputils';

import { Message } from '@lumino/messaging';

import { ISignal } from '@lumino/signaling';

import type { ModelChange } from './model';

/**
 * A signal after which the view may differ, and which of its emissions
 * matter (all without `when`).
 */
export interface IViewTrigger {
  signal: ISignal<any, any>;
  when?: (args: any) => boolean;
}

/**
 * The model's changes of the given kinds.
 */
export function modelChanges(
  model: { readonly changed: ISignal<any, ModelChange> },
  ...kinds: ModelChange[]
): IViewTrigger {
  return {
    signal: model.changed,
    when: (change: ModelChange) => kinds.includes(change)
  };
}

/**
 * Whether two views are equal: plain data (the reports as the server sent
 * them, strings, numbers, arrays, objects) compared by value; functions and
 * other instances by identity.
 */
export function sameView(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) {
    return true;
  }
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return false;
  }
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return (
      a.length === other.length &&
      a.every((item, index) => sameView(item, other[index]))
    );
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) {
    return false;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype) {
    return false; // not plain data: equal only if identical
  }
  const keys = Object.keys(a);
  const record = a as Record<string, unknown>;
  const otherRecord = b as Record<string, unknown>;
  return (
    keys.length === Object.keys(b).length &&
    keys.every(
      key =>
        Object.prototype.hasOwnProperty.call(b, key) &&
        sameView(record[key], otherRecord[key])
    )
  );
}

/**
 * A widget that renders a view model.
 */
export class ViewWidget<V> extends ReactWidget {
  constructor(options: ViewWidget.IOptions<V>) {
    super();
    this._derive = options.view;
    this._render = options.render;
    for (const { signal, when } of options.triggers) {
      const slot = (_: unknown, args: unknown) => {
        if (!when || when(args)) {
          this._onTrigger();
        }
      };
      signal.connect(slot);
      this._connections.push([signal, slot]);
    }
  }

  /**
   * The view shown (derived again when it may be stale).
   */
  get view(): V {
    if (this._stale) {
      this._view = this._derive();
      this._stale = false;
      this._derived = true;
    }
    return this._view as V;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    for (const [signal, slot] of this._connections) {
      signal.disconnect(slot);
    }
    this._connections = [];
    super.dispose();
  }

  render(): JSX.Element | null {
    return this._render(this.view);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (this._stale) {
      this._refresh();
    }
  }

  private _onTrigger(): void {
    if (this.isVisible) {
      this._refresh();
    } else {
      this._stale = true;
    }
  }

  /**
   * Derive the view again, and render only if it changed.
   */
  private _refresh(): void {
    const derived = this._derived;
    const previous = this._view;
    this._stale = true;
    if (derived && sameView(previous, this.view)) {
      return;
    }
    this.update();
  }

  private _derive: () => V;
  private _render: (view: V) => JSX.Element | null;
  private _connections: [ISignal<any, any>, (_: any, args: any) => void][] = [];
  private _view: V | undefined = undefined;
  private _stale = true;
  private _derived = false;
}

/**
 * The namespace of `ViewWidget` statics.
 */
export namespace ViewWidget {
  /**
   * Options of a view widget.
   */
  export interface IOptions<V> {
    /**
     * Derive the view from the model (a pure function).
     */
    view: () => V;
    /**
     * Render a view.
     */
    render: (view: V) => JSX.Element | null;
    /**
     * The signals after which the view may differ.
     */
    triggers: IViewTrigger[];
  }
}
