import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { cn } from './cn';

export const APP_NAME = 'slotlock';

/** `document.title` for the page on screen: "<title> · slotlock". */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
  }, [title]);
}

/**
 * The page's `<h1>`, which also names the tab. After a navigation inside the app, focus moves
 * here so a screen reader starts at the new page, not on a link that no longer exists; the
 * first page of a visit (location key "default") keeps the browser's own start. Only when the
 * heading appears: changing the query string (filters) leaves focus where it is.
 */
export function PageHeading({
  children,
  title,
  className,
}: {
  children: ReactNode;
  /** The tab title, when the heading is not plain text. */
  title?: string;
  className?: string;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  // Decided when the heading appears: a filter written into the URL later is no new page.
  const [arrivedByNavigation] = useState(useLocation().key !== 'default');
  usePageTitle(title ?? (typeof children === 'string' ? children : ''));
  useEffect(() => {
    if (arrivedByNavigation) ref.current?.focus();
  }, [arrivedByNavigation]);
  return (
    <h1
      ref={ref}
      tabIndex={-1}
      className={cn(
        'rounded-sm text-xl font-semibold tracking-tight focus:outline-none focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-solid focus-visible:outline-neutral-900',
        className,
      )}
    >
      {children}
    </h1>
  );
}
