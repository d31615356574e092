import { api } from '@/lib/api-client';
import type { Appointment, AppointmentStatus } from '@/lib/types';

export interface AppointmentInput {
  title: string;
  clientName: string;
  clientEmail: string;
  startsAt: string;
  endsAt: string;
  location: string;
  notes: string;
  status: AppointmentStatus;
}

export interface SaveInput {
  appointmentId: string;
  fencingToken: number;
  version: number;
  values: AppointmentInput;
}

/** 423 LOCK_NOT_HELD, 409 VERSION_CONFLICT (with `current`) and 422 arrive as ApiError. */
export function saveAppointment({ appointmentId, fencingToken, version, values }: SaveInput) {
  return api<Appointment>(`/appointments/${encodeURIComponent(appointmentId)}`, {
    method: 'PUT',
    headers: { 'X-Lock-Token': String(fencingToken) },
    body: { ...values, version },
  });
}
