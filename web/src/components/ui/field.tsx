import { useId, type ReactElement, type ReactNode, cloneElement } from 'react';
import { cn } from './cn';

export const controlClass = cn(
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-neutral-900 shadow-xs ring-1 ring-inset ring-neutral-300',
  'placeholder:text-neutral-400 focus:ring-2 focus:ring-inset focus:ring-neutral-900 focus:outline-none',
  'disabled:cursor-not-allowed disabled:bg-neutral-100 disabled:text-neutral-500 disabled:ring-neutral-200',
  'aria-invalid:ring-red-500',
);

interface FieldProps {
  label: string;
  error?: string;
  /** A short word about the value beside the label (e.g. "Not saved yet"), also read with the control. */
  note?: ReactNode;
  className?: string;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
}

/** A label, a control and its error, wired for assistive technology. */
export function Field({ label, error, note, className, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const noteId = `${id}-note`;
  const describedBy = [note ? noteId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <div className="mb-1 flex min-h-4 items-center justify-between gap-2">
        <label htmlFor={id} className="block text-xs font-medium tracking-wide text-neutral-600 uppercase">
          {label}
        </label>
        {note && (
          <span id={noteId} className="text-xs">
            {note}
          </span>
        )}
      </div>
      {cloneElement(children, {
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {error && (
        <p id={errorId} className="mt-1 text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
