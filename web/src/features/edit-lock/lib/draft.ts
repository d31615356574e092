import { useSyncExternalStore } from 'react';
import type { AppointmentInput } from '@/lib/api/models';

/**
 * What a person typed, kept in localStorage so nothing is lost: `draft` is the
 * live copy while editing; `rejected` holds changes the server refused or that
 * were set aside, until the person copies, re-applies or discards them.
 */
export interface Draft {
  values: AppointmentInput;
  baseVersion: number;
  /** The saved values the draft started from: re-applying keeps others' changes to fields not typed in. */
  base?: AppointmentInput;
  savedAt: string;
  reason?: 'lock-lost' | 'conflict' | 'stale';
}

export type DraftSlot = 'draft' | 'rejected';

const listeners = new Set<() => void>();

function key(slot: DraftSlot, userId: string, appointmentId: string) {
  return `slotlock.${slot}.${userId}.${appointmentId}`;
}

function notify() {
  for (const l of listeners) l();
}

export function readDraft(slot: DraftSlot, userId: string, appointmentId: string): Draft | null {
  try {
    const raw = localStorage.getItem(key(slot, userId, appointmentId));
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

export function writeDraft(slot: DraftSlot, userId: string, appointmentId: string, draft: Draft) {
  try {
    localStorage.setItem(key(slot, userId, appointmentId), JSON.stringify(draft));
  } catch {
    // storage full or blocked: the form still holds the values
  }
  notify();
}

export function clearDraft(slot: DraftSlot, userId: string, appointmentId: string) {
  localStorage.removeItem(key(slot, userId, appointmentId));
  notify();
}

const SLOTS: DraftSlot[] = ['draft', 'rejected'];

/**
 * Removes every draft of every user from this browser; returns how many there were.
 * Drafts hold client names, e-mails and notes: they must not outlive the session
 * on a shared front-desk computer.
 */
export function clearAllDrafts(): number {
  const doomed: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k && SLOTS.some((slot) => k.startsWith(`slotlock.${slot}.`))) doomed.push(k);
    }
    for (const k of doomed) localStorage.removeItem(k);
  } catch {
    return 0; // storage blocked: nothing was kept either
  }
  if (doomed.length) notify();
  return doomed.length;
}

/** Moves the live draft aside so that a new editing session cannot overwrite it. */
export function setDraftAside(userId: string, appointmentId: string, reason: Draft['reason']) {
  const d = readDraft('draft', userId, appointmentId);
  if (!d) return;
  writeDraft('rejected', userId, appointmentId, { ...d, reason });
  clearDraft('draft', userId, appointmentId);
}

function subscribe(cb: () => void) {
  listeners.add(cb);
  const onStorage = (e: StorageEvent) => {
    if (e.key?.startsWith('slotlock.')) cb();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(cb);
    window.removeEventListener('storage', onStorage);
  };
}

/** The draft in a slot, re-read whenever any tab writes one. */
export function useDraft(slot: DraftSlot, userId: string, appointmentId: string): Draft | null {
  const raw = useSyncExternalStore(subscribe, () => localStorage.getItem(key(slot, userId, appointmentId)));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Draft;
  } catch {
    return null;
  }
}

export function sameValues(a: AppointmentInput, b: AppointmentInput) {
  return (Object.keys(a) as Array<keyof AppointmentInput>).every((k) => a[k] === b[k]);
}

/** Plain text for "Copy my changes". */
export function draftAsText(values: AppointmentInput) {
  return [
    `Title: ${values.title}`,
    `Client: ${values.clientName} <${values.clientEmail}>`,
    `Starts: ${values.startsAt}`,
    `Ends: ${values.endsAt}`,
    `Location: ${values.location}`,
    `Status: ${values.status}`,
    `Notes: ${values.notes}`,
  ].join('\n');
}
