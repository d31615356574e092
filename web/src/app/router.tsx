import { createBrowserRouter, Navigate } from 'react-router';
import { AppointmentsListPage } from '@/features/appointments';
import { AuditPage } from '@/features/audit';
import { SignInPage } from '@/features/auth';
import { AppLayout } from './routes/app-layout';
import { AppointmentRoute } from './routes/appointment-route';
import { NewAppointmentRoute } from './routes/new-appointment-route';

export function makeRouter() {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <AppLayout />,
      children: [
        { index: true, element: <AppointmentsListPage /> },
        { path: 'appointments/new', element: <NewAppointmentRoute /> },
        { path: 'appointments/:id', element: <AppointmentRoute /> },
        { path: 'audit', element: <AuditPage /> },
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ]);
}
