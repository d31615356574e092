import { useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AnimatePresence, motion } from 'motion/react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { ApiError, describeError, isApiError } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-client';
import { formatCountdown } from '@/lib/server-clock';
import type { Appointment, AppointmentLock } from '@/lib/types';
import type { WsClient } from '@/lib/ws-client';
import { heartbeat } from '../api/heartbeat';
import { getLockStatus } from '../api/get-lock-status';
import { releaseLock } from '../api/release-lock';
import { saveAppointment } from '../api/save-appointment';
import { useActivityReporter } from '../hooks/use-activity-reporter';
import { useCountdown } from '../hooks/use-countdown';
import { clearDraft, readDraft, setDraftAside, writeDraft } from '../lib/draft';
import { inputOf, rebase, sameForm, toFormValues, toInput } from '../lib/form-values';
import { useLockStore } from '../stores/lock-store';
import { AppointmentFields, type FormValues } from './appointment-fields';
import { Countdown } from './countdown';
import { DraftRecovery } from './draft-recovery';

export const EXPIRY_WARNING_MS = 60_000;

interface Props {
  appointment: Appointment;
  lock: AppointmentLock;
  userId: string;
  sessionId: string;
  socket: WsClient | null;
}

/** The form while this tab holds the lock. Mounted once per grant (keyed by fencing token). */
export function HolderForm({ appointment, lock, userId, sessionId, socket }: Props) {
  const qc = useQueryClient();
  const dispatch = useLockStore((s) => s.dispatch);
  const controlRequest = useLockStore((s) => s.controlRequest);
  const appointmentId = appointment.id;

  const [start] = useState(() => {
    const d = readDraft('draft', userId, appointmentId);
    const resume = !!d && (d.reason === 'lock-lost' || d.baseVersion === appointment.version);
    const latest = inputOf(appointment);
    return {
      base: latest,
      values: toFormValues(resume ? (d.base ? rebase(d.values, d.base, latest) : d.values) : latest),
      resumed: resume,
      setAside: !!d && !resume,
    };
  });
  const [values, setValues] = useState<FormValues>(start.values);
  const [baseVersion, setBaseVersion] = useState(appointment.version);
  const [base, setBase] = useState(start.base);
  const [errors, setErrors] = useState<Partial<Record<keyof FormValues, string>>>({});
  const [conflict, setConflict] = useState<Appointment | null>(null);
  const [keptControlFor, setKeptControlFor] = useState<string | null>(null);

  useEffect(() => {
    // Changes from an earlier session on an older version are offered, never mixed in silently.
    if (start.setAside) setDraftAside(userId, appointmentId, 'stale');
    if (start.resumed) toast.info('Your unsaved changes were restored into the form.');
  }, [start, userId, appointmentId]);

  const reportActivity = useActivityReporter(socket, appointmentId, sessionId);
  const dirty = !sameForm(values, toFormValues(inputOf(appointment))) || baseVersion !== appointment.version;

  const onChange = (patch: Partial<FormValues>) => {
    const next = { ...values, ...patch };
    setValues(next);
    writeDraft('draft', userId, appointmentId, {
      values: toInput(next),
      baseVersion,
      base,
      savedAt: new Date().toISOString(),
    });
    reportActivity();
  };

  const save = useMutation({
    mutationFn: async ({ release }: { release: boolean }) => {
      let saved: Appointment | null = null;
      if (dirty)
        saved = await saveAppointment({
          appointmentId,
          fencingToken: lock.fencingToken,
          version: baseVersion,
          values: toInput(values),
        });
      if (release) await releaseLock(appointmentId);
      return { saved, release };
    },
    onSuccess: ({ saved, release }) => {
      if (saved) {
        qc.setQueryData(queryKeys.appointment(appointmentId), saved);
        void qc.invalidateQueries({ queryKey: queryKeys.appointmentList() });
        setBaseVersion(saved.version);
        setBase(inputOf(saved));
        setErrors({});
      }
      clearDraft('draft', userId, appointmentId);
      if (release) {
        dispatch({ type: 'local/released', fencingToken: lock.fencingToken });
        toast.success(saved ? 'Saved. You are done editing.' : 'You are done editing.');
      } else if (saved) toast.success('Saved.');
    },
    onError: async (e) => {
      if (e instanceof ApiError && e.status === 423) {
        toast.error('Your changes were not saved: you no longer hold the editing lock.', {
          description:
            'Someone took over or the lock expired. Your changes are kept — copy them or re-apply them.',
          duration: 12_000,
        });
        writeDraft('draft', userId, appointmentId, {
          values: toInput(values),
          baseVersion,
          base,
          savedAt: new Date().toISOString(),
          reason: 'lock-lost',
        });
        try {
          const status = await getLockStatus(appointmentId);
          dispatch({ type: 'local/lock', lock: status.lock });
          if (status.lock?.fencingToken === lock.fencingToken)
            dispatch({ type: 'local/released', fencingToken: lock.fencingToken });
        } catch {
          dispatch({ type: 'local/released', fencingToken: lock.fencingToken });
        }
        return;
      }
      if (isApiError(e, 'VERSION_CONFLICT') && e.current) {
        qc.setQueryData(queryKeys.appointment(appointmentId), e.current);
        setConflict(e.current);
        toast.error(`${e.current.updatedBy.name} saved this appointment while you were editing.`, {
          description:
            'Your changes were not saved but are kept. Re-apply them to the latest version, then save.',
          duration: 12_000,
        });
        return;
      }
      if (isApiError(e, 'VALIDATION_FAILED') && e.fields) {
        setErrors(Object.fromEntries(e.fields.map((f) => [f.field, f.message])));
        toast.error('Some fields need attention before this can be saved.');
        return;
      }
      toast.error(describeError(e));
    },
  });

  const keepEditing = useMutation({
    mutationFn: () => heartbeat(appointmentId, sessionId),
    onSuccess: (l) => dispatch({ type: 'local/lock', lock: l }),
    onError: (e) => toast.error(describeError(e)),
  });

  const left = useCountdown(lock.expiresAt);
  const expiring = left <= EXPIRY_WARNING_MS;
  const askedBy = controlRequest && controlRequest.by.userId !== userId ? controlRequest : null;
  const showControl = askedBy && keptControlFor !== askedBy.deadline;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-900 ring-1 ring-emerald-200">
        <p>
          <strong className="font-semibold">You are editing.</strong> Others see this appointment read-only
          until you press Done.
        </p>
        <div className="flex gap-2">
          <Button
            variant="secondary"
            onClick={() => save.mutate({ release: false })}
            disabled={!dirty || save.isPending}
            loading={save.isPending && !save.variables?.release}
          >
            Save
          </Button>
          <Button
            variant="primary"
            onClick={() => save.mutate({ release: true })}
            disabled={save.isPending}
            loading={save.isPending && save.variables?.release}
          >
            Done
          </Button>
        </div>
      </div>

      <AnimatePresence>
        {expiring && (
          <motion.div
            role="alert"
            initial={{ opacity: 0, height: 0 }}
            animate={{ opacity: 1, height: 'auto' }}
            exit={{ opacity: 0, height: 0 }}
            className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-300"
          >
            <p>
              Your editing lock expires in <strong className="font-mono">{formatCountdown(left)}</strong>{' '}
              because nothing happened for a while.
            </p>
            <Button
              variant="warning"
              size="sm"
              loading={keepEditing.isPending}
              onClick={() => keepEditing.mutate()}
            >
              Keep editing
            </Button>
          </motion.div>
        )}
        {showControl && (
          <motion.div
            role="alert"
            initial={{ opacity: 0, height: 0 }}
            animate={{ opacity: 1, height: 'auto' }}
            exit={{ opacity: 0, height: 0 }}
            className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-violet-50 px-4 py-3 text-sm text-violet-900 ring-1 ring-violet-200"
          >
            <p>
              <strong>{askedBy.by.name}</strong> asks to take over editing. Control passes to them in{' '}
              <Countdown until={askedBy.deadline} className="font-mono font-semibold" /> unless you keep
              editing.
            </p>
            <div className="flex gap-2">
              <Button
                size="sm"
                onClick={() => {
                  setKeptControlFor(askedBy.deadline);
                  keepEditing.mutate();
                }}
              >
                Keep editing
              </Button>
              <Button size="sm" variant="primary" onClick={() => save.mutate({ release: true })}>
                Save and hand over
              </Button>
            </div>
          </motion.div>
        )}
      </AnimatePresence>

      {conflict && (
        <DraftRecovery
          title={`A newer version (version ${conflict.version}) was saved by ${conflict.updatedBy.name}.`}
          description="Your changes are still in the form and were not saved."
          values={toInput(values)}
          onReapply={() => {
            setValues(toFormValues(rebase(toInput(values), base, inputOf(conflict))));
            setBase(inputOf(conflict));
            setBaseVersion(conflict.version);
            setConflict(null);
            toast.info(`Your changes now build on version ${conflict.version}. Review them and press Save.`);
          }}
          onDiscard={() => {
            setValues(toFormValues(inputOf(conflict)));
            setBase(inputOf(conflict));
            setBaseVersion(conflict.version);
            setConflict(null);
            clearDraft('draft', userId, appointmentId);
          }}
          discardLabel="Use their version"
        />
      )}

      <form
        className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-neutral-200 sm:p-6"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ release: false });
        }}
        onKeyDown={reportActivity}
        onPointerMove={reportActivity}
        onClick={reportActivity}
        aria-label="Appointment"
      >
        <AppointmentFields values={values} disabled={false} errors={errors} onChange={onChange} />
      </form>
      <p className="text-xs text-neutral-500">
        Lock expires in <Countdown until={lock.expiresAt} /> without activity · your changes are kept in this
        browser until saved.
      </p>
    </div>
  );
}
