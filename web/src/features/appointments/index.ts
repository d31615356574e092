export { AppointmentsListPage } from './components/appointments-list-page';
export { ConflictWarning } from './components/conflict-warning';
export { useConflicts, type ConflictQuery } from './api/get-conflicts';
export { NewAppointmentPage, type AppointmentFieldsComponent } from './components/new-appointment-page';
