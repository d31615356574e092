import { useEffect, useRef, type ReactNode } from 'react';
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
 * first page of a visit (location key "default") keeps the browser's own start.
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
  const { key } = useLocation();
  usePageTitle(title ?? (typeof children === 'string' ? children : ''));
  useEffect(() => {
    if (key !== 'default') ref.current?.focus();
  }, [key]);
  return (
    <h1
      ref={ref}
      tabIndex={-1}
      className={cn(
        'rounded-sm text-xl font-semibold tracking-tight focus:outline-none focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-neutral-900',
        className,
      )}
    >
      {children}
    </h1>
  );
}
