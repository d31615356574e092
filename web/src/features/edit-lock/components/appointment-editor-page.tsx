import { useEffect, useRef, type ComponentType, type RefObject } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { PageHeading } from '@/components/ui/page-heading';
import { Spinner } from '@/components/ui/spinner';
import { describeError, isApiError } from '@/lib/api-client';
import { useClinicConfig, useClinicTime } from '@/lib/clinic-time';
import type { Appointment, Conflict, User } from '@/lib/api/models';
import type { PersonRef } from '@/lib/ws-frames';
import type { WsClient } from '@/lib/ws-client';
import { useAppointment } from '../api/get-appointment';
import { useEditorLock } from '../hooks/use-editor-lock';
import { clearDraft, useDraft, writeDraft } from '../lib/draft';
import { useLockStore } from '../stores/lock-store';
import { DraftRecovery } from './draft-recovery';
import { EditorBanners } from './editor-banners';
import { EditorHeader } from './editor-header';
import { HistoryPanel } from './history-panel';
import { HolderForm } from './holder-form';
import { LockAnnouncer } from './lock-announcer';
import { ViewerActions } from './viewer-actions';
import { ViewerForm } from './viewer-form';

export interface OverlayContext {
  appointmentId: string;
  containerRef: RefObject<HTMLDivElement | null>;
  socket: WsClient | null;
  /** The signed-in user: the overlay never draws their own pointers. */
  userId: string;
}

/** What the holder's form tells the overlap check (the app layer plugs the check in). */
export interface ConflictsSlotProps {
  /** ISO instants (the form's values read in the clinic's zone); half-typed times as typed. */
  startsAt: string;
  endsAt: string;
  location: string;
  /** This appointment: it does not overlap itself. */
  excludeId: string;
  /** The last save's answer while nothing changed since: shown instead of a fresh check. */
  saved: Conflict[] | null;
}

interface Props {
  appointmentId: string;
  me: User;
  /** Drawn over the form (live cursors); the app layer plugs it in. */
  Overlay?: ComponentType<OverlayContext>;
  /** Overlaps in the same location, warned about as the holder edits; the app layer plugs it in. */
  Conflicts?: ComponentType<ConflictsSlotProps>;
}

export function AppointmentEditorPage({ appointmentId, me, Overlay, Conflicts }: Props) {
  const appointmentQ = useAppointment(appointmentId);
  const editor = useEditorLock(appointmentId, me);
  const { lock, mode, acquire, socket, sessionId } = editor;
  const containerRef = useRef<HTMLDivElement>(null);
  const draft = useDraft('draft', me.id, appointmentId);
  const rejected = useDraft('rejected', me.id, appointmentId);
  const deleted = useLockStore((s) => s.deleted);
  // Form times are wall-clock times of the clinic's zone: no form before the zone is known.
  const zoneKnown = useClinicConfig().loaded;

  // The live region stays the same element whatever the page shows, so its news is read out.
  const gone = isApiError(appointmentQ.error, 'NOT_FOUND');
  // A deleted (or unknown) appointment has no room: stop asking for one.
  useEffect(() => {
    if (gone) socket?.stop();
  }, [gone, socket]);

  const announcer = <LockAnnouncer lock={lock} mode={mode} meId={me.id} />;
  if (deleted && appointmentQ.data)
    return (
      <div className="space-y-5">
        {announcer}
        <DeletedAppointment appointment={appointmentQ.data} by={deleted.by} />
      </div>
    );
  if (appointmentQ.isPending || !zoneKnown) {
    return (
      <div className="flex items-center gap-2 py-16 text-sm text-neutral-600" role="status">
        <Spinner className="size-4" /> Loading appointment…
      </div>
    );
  }
  if (appointmentQ.error || !appointmentQ.data) {
    // A tombstone answers 404 "This appointment was deleted."; its history stays readable.
    const notFound = isApiError(appointmentQ.error, 'NOT_FOUND');
    const wasDeleted = notFound && /deleted/i.test(appointmentQ.error?.message ?? '');
    return (
      <div className="space-y-4 py-10">
        <PageHeading>{wasDeleted ? 'Appointment deleted' : 'Appointment not available'}</PageHeading>
        <p className={wasDeleted ? 'text-sm text-neutral-800' : 'text-sm text-red-700'}>
          {notFound
            ? (appointmentQ.error?.message ?? 'This appointment does not exist.')
            : describeError(appointmentQ.error)}
        </p>
        <BackToList />
        {wasDeleted && <HistoryPanel appointmentId={appointmentId} />}
      </div>
    );
  }

  const appointment = appointmentQ.data;
  const recovered = rejected ?? (mode !== 'mine' && mode !== 'other-tab' ? draft : null);

  const reapply = () => {
    if (!recovered) return;
    // The next grant starts from these values, on the newest version.
    writeDraft('draft', me.id, appointmentId, {
      ...recovered,
      reason: 'lock-lost',
      savedAt: new Date().toISOString(),
    });
    clearDraft('rejected', me.id, appointmentId);
    if (mode !== 'mine') acquire.mutate({});
    else toast.info('Press Done, then Edit, to start from your earlier changes.');
  };

  return (
    <div className="space-y-5">
      {announcer}
      <EditorHeader appointment={appointment} meId={me.id} />
      <EditorBanners editor={editor} me={me} />

      {recovered && (
        <DraftRecovery
          title="You have changes that were not saved."
          description={`They were based on version ${recovered.baseVersion}; the latest is version ${appointment.version}.`}
          values={recovered.values}
          savedAt={recovered.savedAt}
          onReapply={reapply}
          reapplyBusy={acquire.isPending}
          reapplyDisabledReason={
            mode === 'other'
              ? `${lock?.userInfo.name ?? 'Someone'} is editing; re-apply once they are done.`
              : undefined
          }
          onDiscard={() => {
            clearDraft('rejected', me.id, appointmentId);
            if (mode !== 'mine') clearDraft('draft', me.id, appointmentId);
          }}
        />
      )}

      <div ref={containerRef} className="relative">
        {mode === 'mine' && lock ? (
          <HolderForm
            key={lock.fencingToken}
            appointment={appointment}
            lock={lock}
            userId={me.id}
            sessionId={sessionId}
            socket={socket}
            focusFirstField={editor.focusTarget === 'first-field'}
            onFocusTaken={() => editor.setFocusTarget(null)}
            onReleased={() => editor.setFocusTarget('edit')}
            Conflicts={Conflicts}
          />
        ) : (
          <div className="space-y-4">
            <ViewerActions editor={editor} me={me} />
            <ViewerForm appointment={appointment} lock={lock} />
          </div>
        )}
        {Overlay && (
          <Overlay appointmentId={appointmentId} containerRef={containerRef} socket={socket} userId={me.id} />
        )}
      </div>

      <HistoryPanel appointmentId={appointmentId} />
    </div>
  );
}

function BackToList() {
  return (
    <Link
      to="/"
      className="inline-flex min-h-6 items-center text-sm font-medium underline underline-offset-2"
    >
      Back to appointments
    </Link>
  );
}

/** Deleted while this page was open: said plainly, the form gone, the history still there. */
function DeletedAppointment({ appointment, by }: { appointment: Appointment; by: PersonRef | null }) {
  const t = useClinicTime();
  return (
    <>
      <div>
        <PageHeading title={`${appointment.title} (deleted)`}>{appointment.title}</PageHeading>
        <p className="mt-0.5 text-sm text-neutral-600">
          {t.date(appointment.startsAt)} · {t.timeRange(appointment.startsAt, appointment.endsAt)} · {t.label}
        </p>
      </div>
      <section
        aria-label="Deleted"
        className="space-y-2 rounded-lg bg-red-50 px-4 py-3 text-sm text-red-950 ring-1 ring-red-300"
        data-testid="deleted-notice"
      >
        <p>
          <strong className="font-semibold">
            {by ? `${by.name} deleted this appointment.` : 'This appointment was deleted.'}
          </strong>{' '}
          It is no longer on the agenda and can no longer be edited.
        </p>
        <BackToList />
      </section>
      <HistoryPanel appointmentId={appointment.id} />
    </>
  );
}
