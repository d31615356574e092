import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { cn } from '@/components/ui/cn';
import { controlClass } from '@/components/ui/field';
import { isPlainDate, type PlainDate } from '@/lib/clinic-time';
import type { AppointmentStatus } from '@/lib/api/models';
import { useDebouncedValue } from '../hooks/use-debounced-value';
import {
  MAX_QUERY,
  STATUSES,
  VIEWS,
  listHref,
  shifted,
  type ListParams,
  type ListView,
} from '../lib/list-view';

export const SEARCH_DEBOUNCE_MS = 300;

const viewLabels: Record<ListView, string> = { agenda: 'Agenda', day: 'Day', week: 'Week' };
const statusLabels: Record<AppointmentStatus, string> = {
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
};

const linkButton =
  'inline-flex h-8 min-w-8 items-center justify-center rounded-md px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-neutral-900';

interface Props {
  params: ListParams;
  today: PlainDate;
  onChange: (next: ListParams, options?: { replace?: boolean }) => void;
}

/** View, date, search and status: every change goes into the URL. */
export function ListToolbar({ params, today, onChange }: Props) {
  const unit = params.view === 'week' ? 'week' : 'day';
  return (
    <div className="space-y-3 rounded-xl bg-white p-3 shadow-sm ring-1 ring-neutral-200 sm:p-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
        <nav aria-label="View" className="inline-flex rounded-lg bg-neutral-100 p-0.5">
          {VIEWS.map((v) => {
            const current = params.view === v;
            return (
              <Link
                key={v}
                to={listHref({ ...params, view: v })}
                aria-current={current ? 'page' : undefined}
                className={cn(
                  linkButton,
                  current ? 'bg-white text-neutral-900 shadow-sm' : 'text-neutral-700 hover:text-neutral-900',
                )}
              >
                {viewLabels[v]}
              </Link>
            );
          })}
        </nav>

        <div className="flex flex-wrap items-center gap-2">
          {params.view !== 'agenda' && (
            <Link
              to={listHref(shifted(params, -1, today))}
              className={cn(
                linkButton,
                'px-2 text-neutral-800 ring-1 ring-neutral-300 ring-inset hover:bg-neutral-50',
              )}
            >
              <span aria-hidden="true">←</span>
              <span className="sr-only">Previous {unit}</span>
            </Link>
          )}
          <DateInput params={params} today={today} onChange={onChange} />
          {params.view !== 'agenda' && (
            <Link
              to={listHref(shifted(params, 1, today))}
              className={cn(
                linkButton,
                'px-2 text-neutral-800 ring-1 ring-neutral-300 ring-inset hover:bg-neutral-50',
              )}
            >
              <span aria-hidden="true">→</span>
              <span className="sr-only">Next {unit}</span>
            </Link>
          )}
          {params.date !== null && params.date !== today && (
            <Link
              to={listHref({ ...params, date: null })}
              className={cn(linkButton, 'text-neutral-800 underline')}
            >
              Today
            </Link>
          )}
        </div>
      </div>

      <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
        <SearchBox params={params} onChange={onChange} />
        <StatusFilter params={params} onChange={onChange} />
      </div>
    </div>
  );
}

/**
 * Several statuses at once. The boxes show what was clicked at once: the URL they are read from
 * changes a moment later (a router navigation), and a controlled box would spring back meanwhile.
 */
function StatusFilter({ params, onChange }: Omit<Props, 'today'>) {
  const [shown, setShown] = useState(params.status);
  const [fromUrl, setFromUrl] = useState(params.status);
  if (fromUrl !== params.status) {
    setFromUrl(params.status);
    setShown(params.status);
  }
  return (
    <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1">
      <legend className="mb-1 text-xs font-medium tracking-wide text-neutral-600 uppercase">Status</legend>
      {STATUSES.map((s) => (
        <label
          key={s}
          className="inline-flex min-h-8 cursor-pointer items-center gap-2 text-sm text-neutral-800"
        >
          <input
            type="checkbox"
            className="size-4 rounded border-neutral-400 accent-neutral-900"
            checked={shown.includes(s)}
            onChange={(e) => {
              const status = e.target.checked ? [...shown, s] : shown.filter((x) => x !== s);
              setShown(status);
              onChange({ ...params, status });
            }}
          />
          {statusLabels[s]}
        </label>
      ))}
    </fieldset>
  );
}

function DateInput({ params, today, onChange }: Props) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm whitespace-nowrap text-neutral-700">
        {params.view === 'agenda' ? 'From' : params.view === 'week' ? 'Week of' : 'Day'}
      </label>
      <input
        id={id}
        type="date"
        className={cn(controlClass, 'h-8 w-auto py-1')}
        value={params.date ?? today}
        onChange={(e) => {
          // A half-typed date is not a view yet.
          if (isPlainDate(e.target.value))
            onChange({ ...params, date: e.target.value === today ? null : e.target.value });
        }}
      />
    </div>
  );
}

/** Typed text goes into the URL once it settles; Back (the URL changing) brings its text back. */
function SearchBox({ params, onChange }: Omit<Props, 'today'>) {
  const id = useId();
  const [text, setText] = useState(params.q);
  const [urlQ, setUrlQ] = useState(params.q);
  if (urlQ !== params.q) {
    setUrlQ(params.q);
    setText(params.q);
  }
  const settled = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  // Only the settled text starts a change; the view is read as it is then.
  const latest = useRef({ params, onChange });
  useEffect(() => {
    latest.current = { params, onChange };
  });
  useEffect(() => {
    const { params: now, onChange: change } = latest.current;
    if (settled.trim() === now.q) return;
    // Starting a search is a step Back can undo; refining it is not a step of its own.
    change({ ...now, q: settled }, { replace: now.q !== '' });
  }, [settled]);
  return (
    <div className="min-w-0 flex-1 basis-56">
      <label htmlFor={id} className="mb-1 block text-xs font-medium tracking-wide text-neutral-600 uppercase">
        Search
      </label>
      <input
        id={id}
        type="search"
        className={controlClass}
        placeholder="Title, client, e-mail, location, notes"
        maxLength={MAX_QUERY}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}
