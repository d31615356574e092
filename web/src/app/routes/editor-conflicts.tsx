import { ConflictWarning, useConflicts } from '@/features/appointments';
import type { ConflictsSlotProps } from '@/features/edit-lock';

/**
 * The editor's overlap warning, composed here because features do not import each other: while
 * the holder edits time or location, the appointments feature checks them; right after a save,
 * the save's own answer is shown until something changes.
 */
export function EditorConflicts({ startsAt, endsAt, location, excludeId, saved }: ConflictsSlotProps) {
  const { conflicts } = useConflicts({ startsAt, endsAt, location, excludeId });
  const shown = saved ?? conflicts;
  return (
    <ConflictWarning
      conflicts={shown}
      heading={
        saved && saved.length > 0
          ? `Saved. ${saved.length === 1 ? 'Another appointment' : `${saved.length} other appointments`} in ${saved[0]!.location} ${saved.length === 1 ? 'overlaps' : 'overlap'} this time:`
          : undefined
      }
    />
  );
}
