export { AppointmentEditorPage, type OverlayContext } from './components/appointment-editor-page';
