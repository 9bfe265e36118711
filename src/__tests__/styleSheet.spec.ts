/**
 * The extension's style sheets: a `.raw.css` file's text added once to the
 * document's head (src/styleSheet.ts).
 */
import { addStyleSheet } from '../styleSheet';

describe('addStyleSheet', () => {
  it('adds the text as a style element at the end of the head, once', () => {
    const text = '.jp-TrustedIdentity-test { color: red; }';
    const element = addStyleSheet(text);
    expect(element).not.toBeNull();
    expect(element!.tagName).toBe('STYLE');
    expect(element!.textContent).toBe(text);
    expect(document.head.lastElementChild).toBe(element);

    const other = addStyleSheet('.jp-TrustedIdentity-other { color: blue; }');
    expect(addStyleSheet(text)).toBe(element);
    const texts = Array.from(document.head.querySelectorAll('style')).map(
      node => node.textContent
    );
    expect(texts.filter(t => t === text)).toHaveLength(1);
    expect(document.head.lastElementChild).toBe(other);
  });

  it('adds nothing for an import without text (jest maps CSS to a proxy)', () => {
    const before = document.head.querySelectorAll('style').length;
    expect(addStyleSheet({})).toBeNull();
    expect(document.head.querySelectorAll('style')).toHaveLength(before);
  });
});
