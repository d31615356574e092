import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { ApiError, describeError, isApiError } from '@/lib/api-client';
import { useClinicTime } from '@/lib/clinic-time';
import type { Appointment, AppointmentLock, Conflict } from '@/lib/api/models';
import type { WsClient } from '@/lib/ws-client';
import { getLockStatus } from '../api/get-lock-status';
import { useDeleteAppointment } from '../api/delete-appointment';
import { useHeartbeat } from '../api/heartbeat';
import { useSaveAppointment } from '../api/save-appointment';
import type { FormValues } from '../components/appointment-fields';
import { clearDraft, readDraft, setDraftAside, writeDraft } from '../lib/draft';
import { draftFields } from '../lib/draft-fields';
import { inputOf, rebase, sameForm, toFormValues, toInput } from '../lib/form-values';
import { useLockStore } from '../stores/lock-store';
import { useActivityReporter } from './use-activity-reporter';
import { useDraftBroadcast } from './use-draft-broadcast';

interface Args {
  appointment: Appointment;
  lock: AppointmentLock;
  userId: string;
  sessionId: string;
  socket: WsClient | null;
  /** The lock was given back by this person (Done, hand over, Cancel editing). */
  onReleased?: () => void;
}

/**
 * The holder's form state: values resumed from a draft, every change written to the draft,
 * Save / Done / Cancel editing and what each refusal (423, 409, 422) means for the form.
 */
export function useHolderForm({ appointment, lock, userId, sessionId, socket, onReleased }: Args) {
  const dispatch = useLockStore((s) => s.dispatch);
  const appointmentId = appointment.id;
  // The page waits for the clinic's zone before a form is shown: it does not change under one.
  const { timeZone: tz } = useClinicTime();

  const [start] = useState(() => {
    const d = readDraft('draft', userId, appointmentId);
    const resume = !!d && (d.reason === 'lock-lost' || d.baseVersion === appointment.version);
    const latest = inputOf(appointment);
    return {
      base: latest,
      values: toFormValues(resume ? (d.base ? rebase(d.values, d.base, latest, tz) : d.values) : latest, tz),
      resumed: resume,
      setAside: !!d && !resume,
    };
  });
  const [values, setValues] = useState<FormValues>(start.values);
  const [baseVersion, setBaseVersion] = useState(appointment.version);
  const [base, setBase] = useState(start.base);
  const [errors, setErrors] = useState<Partial<Record<keyof FormValues, string>>>({});
  const [conflict, setConflict] = useState<Appointment | null>(null);
  /** What the last save's answer said overlaps; gone once the person changes something. */
  const [savedConflicts, setSavedConflicts] = useState<Conflict[] | null>(null);

  useEffect(() => {
    // Changes from an earlier session on an older version are offered, never mixed in silently.
    if (start.setAside) setDraftAside(userId, appointmentId, 'stale');
    if (start.resumed) toast.info('Your unsaved changes were restored into the form.');
  }, [start, userId, appointmentId]);

  const reportActivity = useActivityReporter(socket, appointmentId, sessionId);
  const dirty =
    !sameForm(values, toFormValues(inputOf(appointment), tz)) || baseVersion !== appointment.version;
  const broadcast = useDraftBroadcast(socket, draftFields(values, inputOf(appointment), tz));
  const navigate = useNavigate();
  const keepDraft = (next: FormValues, reason?: 'lock-lost') =>
    writeDraft('draft', userId, appointmentId, {
      values: toInput(next, tz),
      baseVersion,
      base,
      savedAt: new Date().toISOString(),
      ...(reason ? { reason } : {}),
    });

  const onChange = (patch: Partial<FormValues>) => {
    const next = { ...values, ...patch };
    setValues(next);
    setSavedConflicts(null);
    keepDraft(next);
    reportActivity();
  };

  const save = useSaveAppointment(appointmentId, {
    onSuccess: ({ saved, release, conflicts }, { discard }) => {
      if (saved) {
        setBaseVersion(saved.version);
        setBase(inputOf(saved));
        setErrors({});
        setSavedConflicts(conflicts);
        // Done leaves the form: the overlap is said in the toast instead.
        if (release && conflicts.length > 0)
          toast.warning(
            `Saved, but it overlaps ${conflicts.length === 1 ? 'another appointment' : `${conflicts.length} other appointments`} in ${conflicts[0]!.location}.`,
            { description: conflicts.map((c) => c.title).join(' · '), duration: 10_000 },
          );
      }
      clearDraft('draft', userId, appointmentId);
      if (release) {
        dispatch({ type: 'local/released', fencingToken: lock.fencingToken });
        onReleased?.();
        toast.success(
          discard
            ? 'Editing cancelled; your changes were discarded.'
            : saved
              ? 'Saved. You are done editing.'
              : 'You are done editing.',
        );
      } else if (saved) toast.success('Saved.');
    },
    onError: async (e) => {
      if (e instanceof ApiError && e.status === 423) {
        toast.error('Your changes were not saved: you no longer hold the editing lock.', {
          description:
            'Someone took over or the lock expired. Your changes are kept — copy them or re-apply them.',
          duration: 12_000,
        });
        keepDraft(values, 'lock-lost');
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

  const submit = (release: boolean) => {
    if (release) dispatch({ type: 'local/releasing', fencingToken: lock.fencingToken });
    save.mutate({
      save: dirty
        ? { fencingToken: lock.fencingToken, version: baseVersion, values: toInput(values, tz) }
        : null,
      release,
    });
  };
  /** Cancel editing: drop the changes, show viewers the saved values again, give the lock back. */
  const cancel = () => {
    broadcast.clear();
    dispatch({ type: 'local/releasing', fencingToken: lock.fencingToken });
    save.mutate({ save: null, release: true, discard: true });
  };

  const remove = useDeleteAppointment(appointmentId, {
    onSuccess: () => {
      dispatch({ type: 'local/deleted', by: null });
      // Nothing typed here can be saved any more; the person chose to delete it.
      clearDraft('draft', userId, appointmentId);
      clearDraft('rejected', userId, appointmentId);
      toast.success(`“${appointment.title}” was deleted.`);
      void navigate('/');
    },
    onError: async (e) => {
      if (isApiError(e, 'NOT_FOUND')) {
        toast.info('This appointment was already deleted.');
        void navigate('/');
        return;
      }
      if (e instanceof ApiError && e.status === 423) {
        toast.error('Nothing was deleted: you no longer hold the editing lock.');
        try {
          dispatch({ type: 'local/lock', lock: (await getLockStatus(appointmentId)).lock });
        } catch {
          dispatch({ type: 'local/released', fencingToken: lock.fencingToken });
        }
        return;
      }
      toast.error(describeError(e));
    },
  });

  const keepEditing = useHeartbeat(appointmentId, sessionId, {
    onSuccess: (l) => dispatch({ type: 'local/lock', lock: l }),
    onError: (e) => toast.error(describeError(e)),
  });

  /** After a 409: start again from their version, with (rebase) or without my changes. */
  const resolveConflict = (keepMine: boolean) => {
    if (!conflict) return;
    const theirs = inputOf(conflict);
    setValues(toFormValues(keepMine ? rebase(toInput(values, tz), base, theirs, tz) : theirs, tz));
    setBase(theirs);
    setBaseVersion(conflict.version);
    setConflict(null);
    if (keepMine)
      toast.info(`Your changes now build on version ${conflict.version}. Review them and press Save.`);
    else clearDraft('draft', userId, appointmentId);
  };

  return {
    values,
    /** The form's values as the API spells them (times as ISO instants in the clinic's zone). */
    input: toInput(values, tz),
    errors,
    dirty,
    savedConflicts,
    conflict,
    onChange,
    reportActivity,
    save,
    submit,
    cancel,
    remove: () => remove.mutate({ fencingToken: lock.fencingToken }),
    removing: remove.isPending,
    keepEditing,
    resolveConflict,
  };
}
