import { api } from '@/lib/api-client';

/** Leaves the line this tab joined with "Notify me when free". */
export function leaveQueue(appointmentId: string, sessionId: string) {
  return api<{ left: boolean }>(
    `/appointments/${encodeURIComponent(appointmentId)}/queue?sessionId=${encodeURIComponent(sessionId)}`,
    { method: 'DELETE' },
  );
}
