import { useEffect, useId, useRef, useState, type ComponentType } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useClinicTime } from '@/lib/clinic-time';
import type { Appointment, AppointmentLock } from '@/lib/api/models';
import type { WsClient } from '@/lib/ws-client';
import { useHolderForm } from '../hooks/use-holder-form';
import type { ConflictsSlotProps } from './appointment-editor-page';
import { AppointmentFields } from './appointment-fields';
import { Countdown } from './countdown';
import { DraftRecovery } from './draft-recovery';
import { HolderAlerts } from './holder-alerts';

interface Props {
  appointment: Appointment;
  lock: AppointmentLock;
  userId: string;
  sessionId: string;
  socket: WsClient | null;
  /** Editing just started at this person's request: focus goes to the first field. */
  focusFirstField?: boolean;
  onFocusTaken?: () => void;
  onReleased?: () => void;
  Conflicts?: ComponentType<ConflictsSlotProps>;
}

/** The form while this tab holds the lock. Mounted once per grant (keyed by fencing token). */
export function HolderForm({ focusFirstField, onFocusTaken, Conflicts, ...args }: Props) {
  const { lock, userId } = args;
  const f = useHolderForm(args);
  const formRef = useRef<HTMLFormElement>(null);
  const formId = useId();
  const [asking, setAsking] = useState<'cancel' | 'delete' | null>(null);
  const { appointment } = args;
  const t = useClinicTime();

  useEffect(() => {
    if (!focusFirstField) return;
    formRef.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    onFocusTaken?.();
  }, [focusFirstField, onFocusTaken]);

  const busy = f.save.isPending;
  const doing = busy ? f.save.variables : undefined;
  return (
    <div className="space-y-4">
      <p className="rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-950 ring-1 ring-emerald-300">
        <strong className="font-semibold">You are editing.</strong> Others see this appointment read-only
        until you press Done.
      </p>

      <HolderAlerts lock={lock} userId={userId} keepEditing={f.keepEditing} handOver={() => f.submit(true)} />

      {f.conflict && (
        <DraftRecovery
          title={`A newer version (version ${f.conflict.version}) was saved by ${f.conflict.updatedBy.name}.`}
          description="Your changes are still in the form and were not saved."
          values={f.input}
          onReapply={() => f.resolveConflict(true)}
          onDiscard={() => f.resolveConflict(false)}
          discardLabel="Use their version"
        />
      )}

      <form
        ref={formRef}
        id={formId}
        className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-neutral-200 sm:p-6"
        onSubmit={(e) => {
          e.preventDefault();
          f.submit(false);
        }}
        onKeyDown={f.reportActivity}
        onPointerMove={f.reportActivity}
        onClick={f.reportActivity}
        aria-label="Appointment"
      >
        <AppointmentFields values={f.values} disabled={false} errors={f.errors} onChange={f.onChange} />
      </form>

      {Conflicts && (
        <Conflicts
          startsAt={f.input.startsAt}
          endsAt={f.input.endsAt}
          location={f.input.location}
          excludeId={appointment.id}
          saved={f.savedConflicts}
        />
      )}

      {/* Save, Done and Cancel stay in reach at the bottom of the screen however long the form is. */}
      <div
        className="sticky bottom-0 z-10 -mx-4 flex flex-wrap items-center justify-between gap-3 border-t border-neutral-200 bg-white/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-lg sm:border sm:shadow-sm"
        role="group"
        aria-label="Editing actions"
        data-testid="action-bar"
      >
        <p className="text-xs text-neutral-600">
          Lock expires in <Countdown until={lock.expiresAt} /> without activity · changes are kept in this
          browser until saved.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button variant="ghost" onClick={() => setAsking('delete')} disabled={busy} loading={f.removing}>
            Delete
          </Button>
          <Button
            variant="ghost"
            // Unsaved changes are only dropped after the person says so.
            onClick={() => (f.dirty ? setAsking('cancel') : f.cancel())}
            disabled={busy || f.removing}
            loading={!!doing?.discard}
          >
            Cancel editing
          </Button>
          {/* The form's submit button (outside it, by `form=`): Enter in a field saves. */}
          <Button
            type="submit"
            form={formId}
            disabled={!f.dirty || busy || f.removing}
            loading={!!doing && !doing.release}
          >
            Save
          </Button>
          <Button
            variant="primary"
            onClick={() => f.submit(true)}
            disabled={busy || f.removing}
            loading={!!doing?.release && !doing.discard}
          >
            Done
          </Button>
        </div>
      </div>

      <ConfirmDialog
        open={asking === 'cancel'}
        title="Discard your changes?"
        confirmLabel="Discard and stop editing"
        cancelLabel="Keep editing"
        destructive
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          f.cancel();
        }}
      >
        <p>
          What you changed since the last save is dropped, and others see the saved version again. The
          appointment itself stays as it was saved.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'delete'}
        title="Delete this appointment?"
        confirmLabel="Delete appointment"
        destructive
        busy={f.removing}
        onCancel={() => setAsking(null)}
        onConfirm={f.remove}
      >
        <p>
          <strong className="text-neutral-900">{appointment.title}</strong> with {appointment.clientName},{' '}
          {t.date(appointment.startsAt)} {t.timeRange(appointment.startsAt, appointment.endsAt)}, is removed
          from the agenda for everyone. Its history and audit trail are kept.
        </p>
      </ConfirmDialog>
    </div>
  );
}
