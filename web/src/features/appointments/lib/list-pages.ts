import type { InfiniteData } from '@tanstack/react-query';
import type { AppointmentListItem, AppointmentPage } from '@/lib/api/models';

export type Pages = InfiniteData<AppointmentPage, string | null>;

/** The server's order: `startsAt`, then `id`. */
export function compareItems(a: Pick<AppointmentListItem, 'startsAt' | 'id'>, b: typeof a) {
  const d = Date.parse(a.startsAt) - Date.parse(b.startsAt);
  return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function findItem(data: Pages | undefined, id: string): AppointmentListItem | undefined {
  for (const p of data?.pages ?? []) {
    const hit = p.items.find((i) => i.id === id);
    if (hit) return hit;
  }
  return undefined;
}

export function removeFromPages(data: Pages, id: string): Pages {
  if (!findItem(data, id)) return data;
  return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.id !== id) })) };
}

/**
 * Puts `item` where the server would list it, replacing an older copy. An item that sorts
 * after everything loaded while more pages remain is left for "Show more" to bring (inserting it
 * now would list it twice once that page arrives); `fits: false` only removes it.
 */
export function upsertIntoPages(data: Pages, item: AppointmentListItem, fits: boolean): Pages {
  const cleared = removeFromPages(data, item.id);
  if (!fits || cleared.pages.length === 0) return cleared;
  const pages = cleared.pages;
  const last = pages[pages.length - 1]!;
  const lastItem = last.items[last.items.length - 1];
  if (last.nextCursor !== null && (!lastItem || compareItems(item, lastItem) > 0)) return cleared;
  // The first page whose last item sorts after it (the last page if none does).
  let at = pages.findIndex((p) => {
    const tail = p.items[p.items.length - 1];
    return tail !== undefined && compareItems(item, tail) < 0;
  });
  if (at === -1) at = pages.length - 1;
  const target = pages[at]!;
  const items = [...target.items];
  const pos = items.findIndex((i) => compareItems(item, i) < 0);
  items.splice(pos === -1 ? items.length : pos, 0, item);
  return { ...cleared, pages: pages.map((p, i) => (i === at ? { ...p, items } : p)) };
}

export const allItems = (data: { pages: AppointmentPage[] } | undefined) =>
  data?.pages.flatMap((p) => p.items) ?? [];
