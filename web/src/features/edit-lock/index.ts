export { AppointmentEditorPage, type OverlayContext } from './components/appointment-editor-page';
export { clearAllDrafts } from './lib/draft';
