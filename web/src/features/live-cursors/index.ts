export { LiveCursors, type LiveCursorsProps } from './components/live-cursors';
