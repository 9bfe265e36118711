/**
 * `.raw.css` files are imported as their text (the labextension builder's
 * `asset/source`), which `addStyleSheet` (styleSheet.ts) adds to the page.
 */
declare module '*.raw.css' {
  const text: string;
  export default text;
}
