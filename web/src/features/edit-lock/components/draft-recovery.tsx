import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { useClinicTime } from '@/lib/clinic-time';
import type { AppointmentInput } from '@/lib/api/models';
import { draftAsText } from '../lib/draft';

interface Props {
  title: string;
  description: string;
  values: AppointmentInput;
  savedAt?: string;
  onReapply?: () => void;
  reapplyDisabledReason?: string;
  reapplyBusy?: boolean;
  onDiscard?: () => void;
  discardLabel?: string;
}

export async function copyChanges(values: AppointmentInput) {
  try {
    await navigator.clipboard.writeText(draftAsText(values));
    toast.success('Your changes are on the clipboard.');
  } catch {
    toast.error('The browser did not allow copying. Select the text in the form instead.');
  }
}

/** Unsaved changes the server refused or that were set aside: never dropped silently. */
export function DraftRecovery({
  title,
  description,
  values,
  savedAt,
  onReapply,
  reapplyDisabledReason,
  reapplyBusy,
  onDiscard,
  discardLabel = 'Discard my changes',
}: Props) {
  const t = useClinicTime();
  return (
    <section
      aria-label="Your unsaved changes"
      className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-violet-200"
      data-testid="draft-recovery"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold text-violet-900">{title}</h2>
          <p className="mt-0.5 text-sm text-neutral-600">
            {description}
            {savedAt && ` Last typed at ${t.time(savedAt)}.`}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={() => void copyChanges(values)}>
            Copy my changes
          </Button>
          {onReapply && (
            <Button
              size="sm"
              variant="primary"
              onClick={onReapply}
              loading={reapplyBusy}
              disabled={!!reapplyDisabledReason}
              title={reapplyDisabledReason}
            >
              Re-apply my changes
            </Button>
          )}
          {onDiscard && (
            <Button size="sm" variant="ghost" onClick={onDiscard}>
              {discardLabel}
            </Button>
          )}
        </div>
      </div>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer py-1 text-neutral-600 select-none">Show my changes</summary>
        <pre className="mt-2 max-h-48 overflow-auto rounded-md bg-neutral-50 p-3 text-xs whitespace-pre-wrap text-neutral-700">
          {draftAsText(values)}
        </pre>
      </details>
    </section>
  );
}
