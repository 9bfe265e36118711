/**
 * Render React elements into a detached container with `act`.
 */
import * as React from 'react';

import { createRoot, Root } from 'react-dom/client';

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

/**
 * A rendered element: its container, re-render and unmount.
 */
export interface IRendered {
  container: HTMLElement;
  rerender(element: React.ReactElement): void;
  unmount(): void;
  /**
   * The text content, whitespace collapsed.
   */
  text(): string;
}

export function render(element: React.ReactElement): IRendered {
  const container = document.createElement('div');
  document.body.appendChild(container);
  let root: Root;
  React.act(() => {
    root = createRoot(container);
    root.render(element);
  });
  return {
    container,
    rerender(next) {
      React.act(() => root.render(next));
    },
    unmount() {
      React.act(() => root.unmount());
      container.remove();
    },
    text() {
      return (container.textContent ?? '').replace(/\s+/g, ' ').trim();
    }
  };
}

/**
 * Click an element inside `act`.
 */
export function click(element: Element | null): void {
  if (!element) {
    throw new Error('click: no element');
  }
  React.act(() => {
    (element as HTMLElement).click();
  });
}
