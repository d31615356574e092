import { useEffect } from 'react';

export const YOUR_TURN = '(Your turn) ';

/**
 * While `on`, the tab's title starts with "(Your turn) ", also after a page sets a title of its
 * own (a navigation); taken off again when the offer is answered or gone.
 */
export function useTitleFlag(on: boolean, flag = YOUR_TURN) {
  useEffect(() => {
    if (!on) return;
    const mark = () => {
      if (!document.title.startsWith(flag)) document.title = flag + document.title;
    };
    mark();
    const observer = new MutationObserver(mark);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      if (document.title.startsWith(flag)) document.title = document.title.slice(flag.length);
    };
  }, [on, flag]);
}
