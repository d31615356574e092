import { useEffect, useRef, useState, type ComponentType, type RefObject } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ConnectionIndicator } from '@/components/ui/connection-indicator';
import { Spinner } from '@/components/ui/spinner';
import { describeError, isApiError } from '@/lib/api-client';
import { formatDay, formatTime, formatTimeRange } from '@/lib/format';
import { getSessionId } from '@/lib/session-id';
import { registerBeforeSignOut } from '@/lib/sign-out';
import type { User } from '@/lib/types';
import type { WsClient } from '@/lib/ws-client';
import { acquireLock } from '../api/acquire-lock';
import { appointmentQueryOptions, useAppointment } from '../api/get-appointment';
import { useLockStatus } from '../api/get-lock-status';
import { leaveQueue } from '../api/leave-queue';
import { releaseLock, releaseLockOnPageHide } from '../api/release-lock';
import { requestControl } from '../api/request-control';
import { useRoomConnection } from '../hooks/use-room-connection';
import { controlAnswerText } from '../lib/control-answer';
import { clearDraft, useDraft, writeDraft } from '../lib/draft';
import { inputOf, toFormValues } from '../lib/form-values';
import { lockModeOf, useLockStore } from '../stores/lock-store';
import { AppointmentFields } from './appointment-fields';
import { Countdown } from './countdown';
import { DraftRecovery } from './draft-recovery';
import { HolderForm } from './holder-form';
import { HeldByOtherBanner, OtherTabBanner, TakenOverBanner } from './lock-banner';
import { PresenceList } from './presence-list';

export interface OverlayContext {
  appointmentId: string;
  containerRef: RefObject<HTMLDivElement | null>;
  socket: WsClient | null;
  /** The signed-in user: the overlay never draws their own pointers. */
  userId: string;
}

interface Props {
  appointmentId: string;
  me: User;
  /** Drawn over the form (live cursors); the app layer plugs it in. */
  Overlay?: ComponentType<OverlayContext>;
}

type AcquireVars = { takeover?: boolean; queue?: boolean; fencingToken?: number; moveHere?: boolean };

export function AppointmentEditorPage({ appointmentId, me, Overlay }: Props) {
  const [sessionId] = useState(getSessionId);
  const qc = useQueryClient();
  const appointmentQ = useAppointment(appointmentId);
  const statusQ = useLockStatus(appointmentId);
  const socket = useRoomConnection(appointmentId, { userId: me.id, sessionId });
  const containerRef = useRef<HTMLDivElement>(null);

  const lock = useLockStore((s) => s.lock);
  const connection = useLockStore((s) => s.connection);
  const presence = useLockStore((s) => s.presence);
  const queue = useLockStore((s) => s.queue);
  const controlRequest = useLockStore((s) => s.controlRequest);
  const controlAnswer = useLockStore((s) => s.controlAnswer);
  const takeover = useLockStore((s) => s.takeover);
  const dispatch = useLockStore((s) => s.dispatch);

  const mode = lockModeOf(lock, { userId: me.id, sessionId });
  const isAdmin = me.role === 'admin';
  const draft = useDraft('draft', me.id, appointmentId);
  const rejected = useDraft('rejected', me.id, appointmentId);
  const [takeoverToken, setTakeoverToken] = useState<number | null>(null);

  // REST seeds the lock until the socket's snapshot takes over.
  useEffect(() => {
    if (statusQ.data) dispatch({ type: 'local/seed', lock: statusQ.data.lock });
  }, [statusQ.data, dispatch]);

  // Closing the tab or leaving the page frees the lock at once; the server's
  // disconnect grace is only the fallback.
  useEffect(() => {
    const holding = () => {
      const l = useLockStore.getState().lock;
      return !!l && l.appointmentId === appointmentId && l.userId === me.id && l.sessionId === sessionId;
    };
    const onPageHide = () => {
      if (holding()) releaseLockOnPageHide(appointmentId);
    };
    window.addEventListener('pagehide', onPageHide);
    // Signing out while editing frees the lock first: afterwards the token no longer works.
    const unregister = registerBeforeSignOut(async () => {
      const l = useLockStore.getState().lock;
      if (!l || !holding()) return;
      await releaseLock(appointmentId);
      useLockStore.getState().dispatch({ type: 'local/released', fencingToken: l.fencingToken });
    });
    return () => {
      unregister();
      window.removeEventListener('pagehide', onPageHide);
      if (holding()) void releaseLock(appointmentId).catch(() => {});
    };
  }, [appointmentId, me.id, sessionId]);

  const acquire = useMutation({
    mutationFn: async (vars: AcquireVars) => {
      const { moveHere, ...opts } = vars;
      if (moveHere) await releaseLock(appointmentId);
      const res = await acquireLock({ appointmentId, sessionId, ...opts });
      // Edit on the newest version, not on what this page loaded a while ago.
      if (res.kind === 'acquired')
        await qc.fetchQuery({ ...appointmentQueryOptions(appointmentId), staleTime: 0 });
      return res;
    },
    onSuccess: (res, vars) => {
      if (res.kind === 'acquired') {
        dispatch({ type: 'local/lock', lock: res.lock });
        if (vars.takeover) toast.success('You took over editing.');
      } else {
        toast.info(`You are number ${res.position} in line. Editing starts for you as soon as it is free.`);
      }
    },
    onError: (e, vars) => {
      if (isApiError(e, 'LOCK_HELD') && e.lock) {
        dispatch({ type: 'local/lock', lock: e.lock });
        toast.error(
          vars.takeover
            ? `${e.lock.userInfo.name} holds the lock now, so nothing was taken over.`
            : `${e.lock.userInfo.name} is editing this appointment.`,
        );
        return;
      }
      if (isApiError(e, 'FORBIDDEN')) toast.error('Only an admin can take over an appointment.');
      else if (isApiError(e, 'NOT_CONNECTED'))
        // The line keeps a place only for a tab with live updates; this page's socket was not open.
        toast.error('You were not put in line: this page is not receiving live updates.', {
          description: 'Wait until it reconnects, or reload the page, then try again.',
        });
      else toast.error(describeError(e));
    },
    onSettled: () => setTakeoverToken(null),
  });

  const askControl = useMutation({
    mutationFn: () => requestControl(appointmentId, sessionId),
    onSuccess: (res) =>
      toast.success(`Asked ${lock?.userInfo.name ?? 'the editor'} to hand over.`, {
        description: `Unless they keep working, control passes to you at ${formatTime(res.deadline)}.`,
      }),
    onError: (e) => toast.error(describeError(e)),
  });

  const leaveLine = useMutation({
    mutationFn: () => leaveQueue(appointmentId, sessionId),
    onSuccess: () => toast.info('You left the line.'),
    onError: (e) => toast.error(describeError(e)),
  });

  if (appointmentQ.isPending) {
    return (
      <div className="flex items-center gap-2 py-16 text-sm text-neutral-500">
        <Spinner className="size-4" /> Loading appointment…
      </div>
    );
  }
  if (appointmentQ.error || !appointmentQ.data) {
    return (
      <div className="space-y-4 py-10">
        <p className="text-sm text-red-700">
          {isApiError(appointmentQ.error, 'NOT_FOUND')
            ? 'This appointment does not exist.'
            : describeError(appointmentQ.error)}
        </p>
        <Link to="/" className="text-sm underline">
          Back to appointments
        </Link>
      </div>
    );
  }

  const appointment = appointmentQ.data;
  const queuePosition = queue.findIndex((q) => q.userId === me.id) + 1;
  const recovered = rejected ?? (mode !== 'mine' && mode !== 'other-tab' ? draft : null);
  const startingEdit = acquire.isPending && !acquire.variables?.takeover && !acquire.variables?.queue;
  const myControlRequest = controlRequest && controlRequest.by.userId === me.id ? controlRequest : null;
  const myControlAnswer = controlAnswer && controlAnswer.by?.userId === me.id ? controlAnswer : null;

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
      <div>
        <Link to="/" className="text-sm text-neutral-500 hover:text-neutral-800">
          ← Appointments
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="truncate text-xl font-semibold tracking-tight">{appointment.title}</h1>
            <p className="mt-0.5 text-sm text-neutral-500">
              {formatDay(appointment.startsAt)} · {formatTimeRange(appointment.startsAt, appointment.endsAt)}{' '}
              · version {appointment.version}, saved by {appointment.updatedBy.name} at{' '}
              {formatTime(appointment.updatedAt)}
            </p>
          </div>
          <div className="flex items-center gap-3">
            <ConnectionIndicator status={connection} />
            <PresenceList viewers={presence} meId={me.id} />
          </div>
        </div>
      </div>

      {takeover?.previousHolder?.userId === me.id && mode !== 'mine' && (
        <TakenOverBanner byName={takeover.by?.name ?? 'An admin'} />
      )}

      {mode === 'other' && lock && (
        <HeldByOtherBanner lock={lock}>
          {myControlRequest ? (
            <Badge tone="amber" className="py-1">
              <Spinner className="size-3" />
              You asked for control · waiting for {lock.userInfo.name}&apos;s answer ·{' '}
              <Countdown until={myControlRequest.deadline} className="font-mono tabular-nums" />
            </Badge>
          ) : (
            myControlAnswer?.kind === 'declined' && (
              <Badge tone="red" className="py-1">
                {controlAnswerText(myControlAnswer)}
              </Badge>
            )
          )}
        </HeldByOtherBanner>
      )}
      {mode === 'other-tab' && (
        <OtherTabBanner>
          <Button
            size="sm"
            variant="primary"
            loading={acquire.isPending && acquire.variables?.moveHere}
            onClick={() => acquire.mutate({ moveHere: true })}
          >
            Edit here
          </Button>
        </OtherTabBanner>
      )}

      {mode === 'mine' && myControlAnswer && myControlAnswer.kind !== 'declined' && (
        <p
          className="rounded-lg bg-violet-50 px-4 py-3 text-sm text-violet-900 ring-1 ring-violet-200"
          data-testid="control-answer"
        >
          {controlAnswerText(myControlAnswer)}
        </p>
      )}

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
          />
        ) : (
          <div className="space-y-4">
            <div className="flex flex-wrap items-center gap-2">
              <Button
                variant="primary"
                disabled={mode !== 'free' || acquire.isPending}
                loading={startingEdit && !acquire.variables?.moveHere}
                onClick={() => acquire.mutate({})}
              >
                {startingEdit && !acquire.variables?.moveHere ? 'Starting…' : 'Edit'}
              </Button>
              {mode === 'other' &&
                (queuePosition > 0 ? (
                  <span className="inline-flex items-center gap-2 text-sm text-neutral-600">
                    You are number {queuePosition} in line.
                    <Button
                      size="sm"
                      variant="ghost"
                      loading={leaveLine.isPending}
                      onClick={() => leaveLine.mutate()}
                    >
                      Leave the line
                    </Button>
                  </span>
                ) : (
                  <Button
                    loading={acquire.isPending && acquire.variables?.queue}
                    disabled={acquire.isPending}
                    onClick={() => acquire.mutate({ queue: true })}
                  >
                    Notify me when free
                  </Button>
                ))}
              {mode === 'other' && isAdmin && lock && (
                <>
                  <Button
                    loading={askControl.isPending}
                    disabled={!!myControlRequest}
                    onClick={() => askControl.mutate()}
                  >
                    {myControlRequest ? 'Control requested' : 'Request control'}
                  </Button>
                  <Button variant="danger" onClick={() => setTakeoverToken(lock.fencingToken)}>
                    Take over
                  </Button>
                </>
              )}
              {mode === 'free' && (
                <span className="text-sm text-neutral-500">Read-only until you press Edit.</span>
              )}
            </div>
            <form
              className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-neutral-200 sm:p-6"
              aria-label="Appointment"
              onSubmit={(e) => e.preventDefault()}
            >
              <AppointmentFields values={toFormValues(inputOf(appointment))} disabled />
            </form>
          </div>
        )}
        {Overlay && (
          <Overlay appointmentId={appointmentId} containerRef={containerRef} socket={socket} userId={me.id} />
        )}
      </div>

      <ConfirmDialog
        open={takeoverToken !== null && mode === 'other' && !!lock}
        title="Take over editing?"
        confirmLabel="Take over"
        destructive
        busy={acquire.isPending && acquire.variables?.takeover}
        onCancel={() => setTakeoverToken(null)}
        onConfirm={() =>
          takeoverToken !== null && acquire.mutate({ takeover: true, fencingToken: takeoverToken })
        }
      >
        <p>
          <strong className="text-neutral-900">{lock?.userInfo.name}</strong> ({lock?.userInfo.email}) is
          editing this appointment. Taking over ends their session at once; they can no longer save, and their
          unsaved changes stay in their browser. This is recorded in the audit log.
        </p>
      </ConfirmDialog>
    </div>
  );
}
