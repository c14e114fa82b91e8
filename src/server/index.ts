export type { ObjectStore } from './store';
