import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { readListParams, writeListParams, type ListParams } from '../lib/list-view';

/** The list's view as the URL holds it, and a way to change it (a new history entry unless `replace`). */
export function useListParams() {
  const [search, setSearch] = useSearchParams();
  const key = search.toString();
  const params = useMemo(() => readListParams(new URLSearchParams(key)), [key]);
  const setParams = useCallback(
    (next: ListParams, { replace = false }: { replace?: boolean } = {}) => {
      const s = writeListParams(next);
      if (s.toString() === key) return;
      setSearch(s, { replace });
    },
    [key, setSearch],
  );
  return [params, setParams] as const;
}
