export { AppointmentsListPage } from './components/appointments-list-page';
