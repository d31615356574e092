import { NewAppointmentPage } from '@/features/appointments';
// Not in edit-lock's index (its owner keeps that small): the one component both forms share.
import { AppointmentFields } from '@/features/edit-lock/components/appointment-fields';

/** The app layer composes features: the new-appointment form with the editor's own fields. */
export function NewAppointmentRoute() {
  return <NewAppointmentPage Fields={AppointmentFields} />;
}
