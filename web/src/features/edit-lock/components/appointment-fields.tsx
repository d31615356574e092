import { Field, controlClass } from '@/components/ui/field';
import { cn } from '@/components/ui/cn';
import type { AppointmentInput } from '@/lib/types';

/** The same fields as the inputs hold them (times as `datetime-local`, in the browser's zone). */
export type FormValues = AppointmentInput;

interface Props {
  values: FormValues;
  disabled: boolean;
  errors?: Partial<Record<keyof FormValues, string>>;
  onChange?: (patch: Partial<FormValues>) => void;
}

/** Every control gets the real `disabled` attribute when the person may not edit. */
export function AppointmentFields({ values, disabled, errors = {}, onChange }: Props) {
  const set = (k: keyof FormValues) => (e: { target: { value: string } }) =>
    onChange?.({ [k]: e.target.value } as Partial<FormValues>);
  const readOnly = !onChange;
  return (
    <div className="grid grid-cols-1 gap-x-4 gap-y-5 sm:grid-cols-2">
      <Field label="Title" error={errors.title} className="sm:col-span-2">
        <input
          className={controlClass}
          value={values.title}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('title')}
        />
      </Field>
      <Field label="Client name" error={errors.clientName}>
        <input
          className={controlClass}
          value={values.clientName}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('clientName')}
        />
      </Field>
      <Field label="Client e-mail" error={errors.clientEmail}>
        <input
          type="email"
          className={controlClass}
          value={values.clientEmail}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('clientEmail')}
        />
      </Field>
      <Field label="Starts" error={errors.startsAt}>
        <input
          type="datetime-local"
          className={controlClass}
          value={values.startsAt}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('startsAt')}
        />
      </Field>
      <Field label="Ends" error={errors.endsAt}>
        <input
          type="datetime-local"
          className={controlClass}
          value={values.endsAt}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('endsAt')}
        />
      </Field>
      <Field label="Location" error={errors.location}>
        <input
          className={controlClass}
          value={values.location}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('location')}
        />
      </Field>
      <Field label="Status" error={errors.status}>
        <select
          className={cn(controlClass, 'pr-8')}
          value={values.status}
          disabled={disabled}
          onChange={set('status')}
        >
          <option value="scheduled">Scheduled</option>
          <option value="confirmed">Confirmed</option>
          <option value="cancelled">Cancelled</option>
        </select>
      </Field>
      <Field label="Notes" error={errors.notes} className="sm:col-span-2">
        <textarea
          rows={5}
          className={controlClass}
          value={values.notes}
          disabled={disabled}
          readOnly={readOnly}
          onChange={set('notes')}
        />
      </Field>
    </div>
  );
}
