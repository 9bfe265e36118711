/**
 * Fake notebook/console widgets, session contexts and trackers with lumino
 * signals, for the tracker and widget tests.
 */
import { Signal } from '@lumino/signaling';

import type { ISessionWidget, IWidgetTrackerLike } from '../tracker';

let counter = 0;

/**
 * A fake kernel connection.
 */
export class FakeKernel {
  constructor(
    readonly id: string,
    readonly name = 'python3'
  ) {}
  status: string = 'starting';
  info = Promise.resolve({ language_info: { name: 'python' } });
}

/**
 * A fake session context whose signals the test fires.
 */
export class FakeSessionContext {
  constructor(path: string) {
    this.path = path;
  }
  path: string;
  kernelDisplayName = 'Python 3 (ipykernel)';
  session: { kernel: FakeKernel | null; path: string } | null = null;
  kernelChanged = new Signal<this, any>(this);
  statusChanged = new Signal<this, string>(this);
  connectionStatusChanged = new Signal<this, string>(this);
  propertyChanged = new Signal<this, string>(this);

  /**
   * Give the session a new kernel (start or change).
   */
  setKernel(kernel: FakeKernel | null): void {
    const oldValue = this.session?.kernel ?? null;
    this.session = kernel ? { kernel, path: this.path } : null;
    this.kernelChanged.emit({ name: 'kernel', oldValue, newValue: kernel });
  }

  /**
   * Set the kernel status and emit it.
   */
  setStatus(status: string): void {
    if (this.session?.kernel) {
      this.session.kernel.status = status;
    }
    this.statusChanged.emit(status);
  }
}

/**
 * A fake notebook or console panel.
 */
export class FakeWidget implements ISessionWidget {
  constructor(path: string, label?: string) {
    this.id = `fake-widget-${++counter}`;
    this.sessionContext = new FakeSessionContext(path) as any;
    this.title = { label: label ?? path.split('/').pop() ?? path };
  }
  readonly id: string;
  readonly title: { label: string };
  readonly sessionContext: any;
  isDisposed = false;
  disposed = new Signal<this, void>(this);

  get context(): FakeSessionContext {
    return this.sessionContext as FakeSessionContext;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.isDisposed = true;
    this.disposed.emit();
  }
}

/**
 * A fake widget tracker.
 */
export class FakeTracker implements IWidgetTrackerLike<FakeWidget> {
  widgets: FakeWidget[] = [];
  currentWidget: FakeWidget | null = null;
  widgetAdded = new Signal<this, FakeWidget>(this);
  currentChanged = new Signal<this, FakeWidget | null>(this);

  add(widget: FakeWidget): void {
    this.widgets.push(widget);
    this.widgetAdded.emit(widget);
  }

  setCurrent(widget: FakeWidget | null): void {
    this.currentWidget = widget;
    this.currentChanged.emit(widget);
  }

  forEach(fn: (widget: FakeWidget) => void): void {
    this.widgets.forEach(fn);
  }
}

/**
 * A fake shell with a current widget.
 */
export class FakeShell {
  currentWidget: { id: string } | null = null;
  currentChanged = new Signal<this, any>(this);

  activate(widget: { id: string } | null): void {
    this.currentWidget = widget;
    this.currentChanged.emit({ oldValue: null, newValue: widget });
  }
}
