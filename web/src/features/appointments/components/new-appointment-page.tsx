import { useEffect, useRef, useState, type ComponentType, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { PageHeading } from '@/components/ui/page-heading';
import { Spinner } from '@/components/ui/spinner';
import { describeError, isApiError } from '@/lib/api-client';
import { isPlainDate, useClinicConfig, useClinicTime, type ClinicTime } from '@/lib/clinic-time';
import type { Conflict } from '@/lib/api/models';
import { useCreateAppointment } from '../api/create-appointment';
import { useConflicts } from '../api/get-conflicts';
import {
  FIELD_LABELS,
  FIELD_ORDER,
  initialValues,
  serverFieldErrors,
  toCreateBody,
  validate,
  type FieldErrors,
  type FormValues,
} from '../lib/new-appointment-form';
import { ConflictWarning } from './conflict-warning';

/** The form's inputs, as the editor shows them (the app layer passes the editor's component). */
export type AppointmentFieldsComponent = ComponentType<{
  values: FormValues;
  disabled: boolean;
  errors?: FieldErrors;
  onChange?: (patch: Partial<FormValues>) => void;
}>;

/** Where the list was (its view), to go back to it. */
export interface FromList {
  listSearch?: string;
}

/**
 * New appointment: checked in the form, overlaps checked as time and location change, the
 * server's 422 shown beside the inputs. On success, the new appointment's page (a toast says it
 * was created, and which appointments it overlaps if any). Nothing typed is lost on a failure.
 */
export function NewAppointmentPage({ Fields }: { Fields: AppointmentFieldsComponent }) {
  const { loaded } = useClinicConfig();
  const t = useClinicTime();
  if (!loaded)
    return (
      <div className="flex items-center gap-2 py-10 text-sm text-neutral-600" role="status">
        <Spinner className="size-4" /> Loading…
      </div>
    );
  // The zone is known: the form's starting times are read in it.
  return <NewAppointmentForm key={t.timeZone} Fields={Fields} t={t} />;
}

function NewAppointmentForm({ Fields, t }: { Fields: AppointmentFieldsComponent; t: ClinicTime }) {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const listSearch = (useLocation().state as FromList | null)?.listSearch ?? '';
  const date = search.get('date');
  const [values, setValues] = useState(() => initialValues(t.timeZone, isPlainDate(date) ? date : null));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<string[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const create = useCreateAppointment();

  const startsAt = t.fromInput(values.startsAt) ?? '';
  const endsAt = t.fromInput(values.endsAt) ?? '';
  const { conflicts, checking } = useConflicts({ startsAt, endsAt, location: values.location });

  // After a refused submit, the first field to fix gets focus (its error is its description).
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const onChange = (patch: Partial<FormValues>) => {
    const next = { ...values, ...patch };
    setValues(next);
    // Once a submit has shown errors, they follow the typing (and go when fixed).
    if (submitted) setErrors(validate(next, t.timeZone));
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (create.isPending) return;
    setSubmitted(true);
    setOther([]);
    const found = validate(values, t.timeZone);
    setErrors(found);
    if (Object.keys(found).length) {
      setAttempt((n) => n + 1);
      return;
    }
    create.mutate(toCreateBody(values, t.timeZone), {
      onSuccess: (created) => {
        announceCreated(created.title, created.conflicts, t);
        navigate(`/appointments/${encodeURIComponent(created.id)}`);
      },
      onError: (err) => {
        const mapped = serverFieldErrors(err);
        if (Object.keys(mapped.fields).length || mapped.other.length) {
          setErrors(mapped.fields);
          setOther(mapped.other);
          setAttempt((n) => n + 1);
        } else if (!isApiError(err, 'UNAUTHENTICATED')) {
          toast.error(`The appointment was not created: ${describeError(err)} Your entries are still here.`);
        }
      },
    });
  };

  const invalid = FIELD_ORDER.filter((f) => errors[f]);
  return (
    <div className="mx-auto max-w-3xl space-y-4 pb-24 sm:pb-0">
      <div>
        <Link
          to={`/${listSearch}`}
          className="inline-flex min-h-6 items-center text-sm text-neutral-700 hover:text-neutral-900"
        >
          <span aria-hidden="true">←&nbsp;</span>Appointments
        </Link>
        <PageHeading>New appointment</PageHeading>
        <p className="text-sm text-neutral-700">
          Title, client name, e-mail and times are required. {t.label}.
        </p>
      </div>

      <form
        ref={formRef}
        aria-label="New appointment"
        noValidate
        onSubmit={onSubmit}
        className="space-y-5 rounded-xl bg-white p-4 shadow-sm ring-1 ring-neutral-200 sm:p-6"
      >
        {(invalid.length > 0 || other.length > 0) && (
          <div
            role="alert"
            className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200"
          >
            {invalid.length > 0 && (
              <p>
                Please correct {invalid.length === 1 ? 'this field' : `these ${invalid.length} fields`}:{' '}
                {invalid.map((f) => FIELD_LABELS[f]).join(', ')}.
              </p>
            )}
            {other.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        <Fields values={values} disabled={false} errors={errors} onChange={onChange} />
        <ConflictWarning conflicts={conflicts} />
        {checking && (
          <p
            className="inline-flex items-center gap-2 text-xs text-neutral-600"
            data-testid="checking-overlaps"
          >
            <Spinner className="size-3" /> Checking for overlaps…
          </p>
        )}
        <div className="flex items-center justify-end gap-3 max-sm:fixed max-sm:inset-x-0 max-sm:bottom-0 max-sm:z-20 max-sm:border-t max-sm:border-neutral-200 max-sm:bg-white max-sm:px-4 max-sm:py-3">
          <Link
            to={`/${listSearch}`}
            className="inline-flex h-9 items-center rounded-md px-4 text-sm font-medium text-neutral-700 hover:bg-neutral-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-neutral-500"
          >
            Cancel
          </Link>
          <Button type="submit" variant="primary" loading={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create appointment'}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** A toast that outlives the navigation: created, and what it overlaps (a warning, kept until closed). */
function announceCreated(title: string, conflicts: Conflict[], t: ClinicTime) {
  if (!conflicts.length) {
    toast.success(`Appointment “${title}” created.`);
    return;
  }
  const list = conflicts.map(
    (c) => `${c.title} (${t.date(c.startsAt)}, ${t.timeRange(c.startsAt, c.endsAt)})`,
  );
  toast.warning(
    `Appointment “${title}” created. It overlaps ${conflicts.length === 1 ? 'another appointment' : `${conflicts.length} other appointments`} in ${conflicts[0]!.location}: ${list.join('; ')}.`,
    { duration: Infinity },
  );
}
