/**
 * The side panel's content: a chunk loaded when the panel is first shown
 * (the start-up shell imports it with `import('./panel')`). Its styles come
 * with it, so that JupyterLab's start-up style module holds only the status
 * bar item's.
 */
import '../../style/panel.css';

export { fillPanel } from './fill';

export type { IPanelOptions } from './fill';
