import { useClinicTime } from '@/lib/clinic-time';
import type { Appointment, AppointmentLock } from '@/lib/api/models';
import { unsavedFields, withDraft } from '../lib/draft-fields';
import { inputOf } from '../lib/form-values';
import { useLockStore } from '../stores/lock-store';
import { AppointmentFields } from './appointment-fields';

/**
 * The read-only form of everyone but the holder: the saved values, with what the holder is
 * typing on top, each such field marked "Not saved yet", and one line saying who types.
 */
export function ViewerForm({
  appointment,
  lock,
}: {
  appointment: Appointment;
  lock: AppointmentLock | null;
}) {
  const draft = useLockStore((s) => s.draft);
  const typing =
    draft && lock && draft.sessionId === lock.sessionId && draft.userId === lock.userId ? draft : null;
  const { timeZone: tz } = useClinicTime();
  const saved = inputOf(appointment);
  const unsaved = unsavedFields(saved, typing?.fields, tz);
  const typist = typing && unsaved.size > 0 ? typing.name : null;
  return (
    <>
      {/* Always in the page, so its text is announced; it changes when typing starts or stops, not per key. */}
      <p
        role="status"
        aria-live="polite"
        className={typist ? 'flex items-center gap-2 text-sm text-neutral-700' : 'sr-only'}
        data-testid="typing-status"
      >
        {typist && (
          <>
            <span className="size-2 rounded-full bg-amber-600 motion-safe:animate-pulse" aria-hidden="true" />
            <span>
              <strong className="font-semibold text-neutral-900">{typist}</strong> is typing… Fields marked{' '}
              <q>Not saved yet</q> are not saved.
            </span>
          </>
        )}
      </p>
      <form
        className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-neutral-200 sm:p-6"
        aria-label="Appointment"
        onSubmit={(e) => e.preventDefault()}
      >
        <AppointmentFields values={withDraft(saved, typing?.fields, tz)} disabled unsaved={unsaved} />
      </form>
    </>
  );
}
