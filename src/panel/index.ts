/**
 * The side panel's content: a chunk loaded when the panel is first shown
 * (the start-up shell imports it with `import('./panel')`). Its styles come
 * with it: the panel's own, and the status icons' (added already when the
 * status bar item loaded, whose module keeps their text at start-up).
 */
import baseStyles from '../../style/base.raw.css';

import panelStyles from '../../style/panel.raw.css';

import { addStyleSheet } from '../styleSheet';

addStyleSheet(baseStyles);
addStyleSheet(panelStyles);

export { fillPanel } from './fill';

export type { IPanelOptions } from './fill';
