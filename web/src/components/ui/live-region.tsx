/**
 * A polite live region that is always in the page, so a screen reader notices when its text
 * changes. Callers decide *when* it changes (events and thresholds, never a ticking clock).
 */
export function LiveRegion({ message, testId }: { message: string; testId?: string }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid={testId}>
      {message}
    </div>
  );
}
