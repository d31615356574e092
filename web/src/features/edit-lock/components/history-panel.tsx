import { useId } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { useClinicTime, type ClinicTime } from '@/lib/clinic-time';
import type { HistoryEntry } from '@/lib/api/models';
import { useHistory } from '../api/get-history';
import { fieldLabel, historyValue } from '../lib/history-format';

function Change({
  field,
  from,
  to,
  created,
  t,
}: HistoryEntry['changes'][number] & { created: boolean; t: ClinicTime }) {
  return (
    <li className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 py-0.5">
      <span className="text-neutral-600">{fieldLabel(field)}</span>
      <span className="min-w-0 break-words whitespace-pre-wrap text-neutral-900">
        {created ? (
          historyValue(field, to, t)
        ) : (
          <>
            <del className="text-neutral-600">{historyValue(field, from, t)}</del>
            <span className="px-1.5 text-neutral-600" aria-hidden="true">
              →
            </span>
            <span className="sr-only"> changed to </span>
            <ins className="no-underline">{historyValue(field, to, t)}</ins>
          </>
        )}
      </span>
    </li>
  );
}

/** Every saved version of the appointment, newest first: who, when, and what changed. */
export function HistoryPanel({ appointmentId }: { appointmentId: string }) {
  const q = useHistory(appointmentId);
  const headingId = useId();
  const t = useClinicTime();
  return (
    <section
      aria-labelledby={headingId}
      className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-neutral-200 sm:p-6"
      data-testid="history-panel"
    >
      <h2 id={headingId} className="text-base font-semibold text-neutral-900">
        History
      </h2>
      <p className="mt-0.5 text-xs text-neutral-600">Every saved version, newest first. {t.label}.</p>
      {q.isPending ? (
        <p className="mt-3 flex items-center gap-2 text-sm text-neutral-600">
          <Spinner className="size-4" /> Loading history…
        </p>
      ) : q.error ? (
        <p className="mt-3 text-sm text-red-700">The history could not be loaded: {describeError(q.error)}</p>
      ) : (
        <ol className="mt-3 divide-y divide-neutral-100">
          {q.data.items.map((entry) => {
            const created = entry.version === 1;
            return (
              <li key={entry.version} className="py-3 text-sm" data-testid="history-entry">
                <p className="text-neutral-700">
                  <strong className="font-semibold text-neutral-900">Version {entry.version}</strong> ·{' '}
                  {created ? 'created' : 'saved'} by {entry.by.name} ·{' '}
                  <time dateTime={entry.at}>{t.dateTime(entry.at)}</time>
                </p>
                {entry.changes.length > 0 ? (
                  <ul
                    className="mt-1.5"
                    aria-label={`Version ${entry.version}: ${created ? 'values' : 'changes'}`}
                  >
                    {entry.changes.map((c) => (
                      <Change key={c.field} {...c} created={created} t={t} />
                    ))}
                  </ul>
                ) : (
                  <p className="mt-1 text-neutral-600">No field changed.</p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
