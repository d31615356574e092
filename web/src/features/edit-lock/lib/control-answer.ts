import type { ControlAnswer } from '../stores/lock-store';

/** What the holder did with an admin's control request, in plain words for the admin. */
export function controlAnswerText(answer: ControlAnswer): string {
  const holder = answer.holder?.name ?? 'The editor';
  switch (answer.kind) {
    case 'declined':
      return `${holder} kept working, so they keep control.`;
    case 'handed_over':
      return `${holder} handed over to you.`;
    case 'deadline':
      return `${holder} did not answer in time, so control passed to you.`;
    case 'left':
      return `${holder} left, so control passed to you.`;
    case 'expired':
      return `${holder}'s lock ran out, so control passed to you.`;
  }
}
