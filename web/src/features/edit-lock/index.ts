export {
  AppointmentEditorPage,
  type ConflictsSlotProps,
  type OverlayContext,
} from './components/appointment-editor-page';
export { clearAllDrafts } from './lib/draft';
