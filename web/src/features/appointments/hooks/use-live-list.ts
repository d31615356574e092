import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '@/lib/api-client';
import { subscribeFeed, useFeedStore } from '@/lib/feed-store';
import { queryKeys } from '@/lib/query-client';

import { getAppointment, type PageQuery } from '../api/get-appointment-pages';
import { findItem, removeFromPages, upsertIntoPages, type Pages } from '../lib/list-pages';
import type { FeedAppointment } from '../lib/list-view';

/**
 * Keeps the loaded pages of one view current from the feed, without a reload: a created
 * appointment appears if `fits` says it belongs in the view, a deleted one disappears, a saved
 * one is fetched again (the frame carries only its id and version) and moves, or leaves the
 * view if it no longer fits. After a reconnect (a second snapshot) frames may have been missed:
 * the view is fetched again.
 */
/** `q` must keep its identity while the view stays the same (memoize it). */
export function useLiveList(q: PageQuery, fits: (a: FeedAppointment) => boolean | 'unknown') {
  const qc = useQueryClient();
  const fitsRef = useRef(fits);
  useEffect(() => {
    fitsRef.current = fits;
  }, [fits]);

  useEffect(() => {
    const key = queryKeys.appointmentPages(q);
    const update = (fn: (d: Pages) => Pages) => qc.setQueryData<Pages>(key, (d) => (d ? fn(d) : d));
    const abort = new AbortController();
    /** The appointment as stored now: moved, kept or dropped as it fits the view. */
    const refetch = (id: string) =>
      getAppointment(id, abort.signal).then(
        (a) =>
          update((d) =>
            upsertIntoPages(d, { ...a, lock: findItem(d, a.id)?.lock ?? null }, fitsRef.current(a) === true),
          ),
        (e) => {
          if (isApiError(e, 'NOT_FOUND')) update((d) => removeFromPages(d, id));
        },
      );

    const off = subscribeFeed((frame) => {
      switch (frame.type) {
        case 'appointment.created': {
          const a = frame.appointment;
          const fit = fitsRef.current(a);
          // Only its notes (not in the frame) could put it in a search: ask for the whole of it.
          if (fit === 'unknown') refetch(a.id);
          else update((d) => upsertIntoPages(d, { ...a, notes: a.notes ?? '', lock: null }, fit));
          break;
        }
        case 'appointment.deleted':
          update((d) => removeFromPages(d, frame.appointmentId));
          break;
        case 'appointment.updated': {
          const known = findItem(qc.getQueryData<Pages>(key), frame.appointment.id);
          if (!known || known.version < frame.appointment.version) refetch(frame.appointment.id);
          break;
        }
        case 'snapshot':
          if (useFeedStore.getState().snapshots > 1) void qc.invalidateQueries({ queryKey: key });
          break;
      }
    });
    return () => {
      off();
      abort.abort();
    };
  }, [qc, q]);
}
