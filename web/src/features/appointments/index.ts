export { AppointmentsListPage } from './components/appointments-list-page';
export { ConflictWarning } from './components/conflict-warning';
export { useConflicts, type ConflictQuery } from './api/get-conflicts';
