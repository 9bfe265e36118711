/**
 * SVG files are imported as their source text (the labextension builder's
 * `asset/source`; jest's raw loader).
 */
declare module '*.svg' {
  const value: string;
  export default value;
}
