/**
 * The side panel's content: a chunk loaded when the panel is first shown
 * (the start-up shell imports it with `import('./panel')`). Its styles come
 * with it; the status icons' (base.css) are already loaded with the status
 * bar item's module, a parent of this chunk, so the bundler keeps them and
 * the style loader's runtime there (see style/index.js).
 */
import '../../style/base.css';
import '../../style/panel.css';

export { fillPanel } from './fill';

export type { IPanelOptions } from './fill';
