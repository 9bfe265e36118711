/**
 * The extension's styles as plain style sheets. The modules that use a
 * style sheet import its `.raw.css` file (its text: the labextension
 * builder's `asset/source`) and add it when they load: the status bar item
 * at start-up (style/base.raw.css), the panel's chunk when the panel is
 * first shown (style/panel.raw.css, and base.raw.css for its status icons).
 * Imported as plain `.css`, each chunk carried style-loader's and
 * css-loader's runtime (~1.7 KB gzipped) and the build a licence file for
 * them; adding a `<style>` element is all they did here. So the package
 * declares no style module (package.json's `style`, `styleModule`), which
 * JupyterLab would fetch at start-up with nothing in it.
 */

const added = new Map<string, HTMLStyleElement>();

/**
 * Add a style sheet's text to the document's head, after the styles already
 * there (as style-loader did), once: a text already added is not added
 * again. Returns its element. Under jest, which maps every CSS file to
 * identity-obj-proxy, an import has no text: nothing is added then.
 */
export function addStyleSheet(text: unknown): HTMLStyleElement | null {
  if (typeof text !== 'string') {
    return null;
  }
  let element = added.get(text);
  if (!element) {
    element = document.createElement('style');
    element.textContent = text;
    document.head.appendChild(element);
    added.set(text, element);
  }
  return element;
}
