import { Field, controlClass } from '@/components/ui/field';
import { cn } from '@/components/ui/cn';
import type { AppointmentInput } from '@/lib/api/models';

/** The same fields as the inputs hold them (times as `datetime-local`, in the browser's zone). */
export type FormValues = AppointmentInput;

interface Props {
  values: FormValues;
  disabled: boolean;
  errors?: Partial<Record<keyof FormValues, string>>;
  onChange?: (patch: Partial<FormValues>) => void;
  /** Fields showing the holder's typing, not the saved value: marked in words and with a dashed outline. */
  unsaved?: ReadonlySet<keyof FormValues>;
}

/** Said in words (and read with the control), not only by the outline's colour. */
function UnsavedMark() {
  return (
    <span
      className="inline-flex items-center gap-1 rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900"
      data-testid="unsaved-mark"
    >
      <svg viewBox="0 0 16 16" className="size-3" fill="currentColor" aria-hidden="true">
        <path d="M11.7 1.3a1 1 0 0 1 1.4 0l1.6 1.6a1 1 0 0 1 0 1.4L6 13l-3.5 1 1-3.5 8.2-9.2Z" />
      </svg>
      Not saved yet
    </span>
  );
}

// The typed value is what a viewer is here to read: full contrast, not the disabled grey.
const unsavedClass = 'outline-2 outline-offset-1 outline-amber-600 outline-dashed disabled:text-neutral-900';

/** Every control gets the real `disabled` attribute when the person may not edit. */
export function AppointmentFields({ values, disabled, errors = {}, onChange, unsaved }: Props) {
  const set = (k: keyof FormValues) => (e: { target: { value: string } }) =>
    onChange?.({ [k]: e.target.value } as Partial<FormValues>);
  const readOnly = !onChange;
  const note = (k: keyof FormValues) => (unsaved?.has(k) ? <UnsavedMark /> : undefined);
  const control = (k: keyof FormValues, extra?: string) =>
    cn(controlClass, extra, unsaved?.has(k) && unsavedClass);
  return (
    <div className="grid grid-cols-1 gap-x-4 gap-y-5 sm:grid-cols-2">
      <Field label="Title" error={errors.title} note={note('title')} className="sm:col-span-2">
        <input
          className={control('title')}
          value={values.title}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('title')}
        />
      </Field>
      <Field label="Client name" error={errors.clientName} note={note('clientName')}>
        <input
          className={control('clientName')}
          value={values.clientName}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('clientName')}
        />
      </Field>
      <Field label="Client e-mail" error={errors.clientEmail} note={note('clientEmail')}>
        <input
          type="email"
          className={control('clientEmail')}
          value={values.clientEmail}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('clientEmail')}
        />
      </Field>
      <Field label="Starts" error={errors.startsAt} note={note('startsAt')}>
        <input
          type="datetime-local"
          className={control('startsAt')}
          value={values.startsAt}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('startsAt')}
        />
      </Field>
      <Field label="Ends" error={errors.endsAt} note={note('endsAt')}>
        <input
          type="datetime-local"
          className={control('endsAt')}
          value={values.endsAt}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('endsAt')}
        />
      </Field>
      <Field label="Location" error={errors.location} note={note('location')}>
        <input
          className={control('location')}
          value={values.location}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('location')}
        />
      </Field>
      <Field label="Status" error={errors.status} note={note('status')}>
        <select
          className={control('status', 'pr-8')}
          value={values.status}
          disabled={disabled}
          onChange={set('status')}
        >
          <option value="scheduled">Scheduled</option>
          <option value="confirmed">Confirmed</option>
          <option value="cancelled">Cancelled</option>
        </select>
      </Field>
      <Field label="Notes" error={errors.notes} note={note('notes')} className="sm:col-span-2">
        <textarea
          rows={5}
          className={control('notes')}
          value={values.notes}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('notes')}
        />
      </Field>
    </div>
  );
}
