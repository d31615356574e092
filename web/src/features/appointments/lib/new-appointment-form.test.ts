import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import {
  initialValues,
  serverFieldErrors,
  toCreateBody,
  validate,
  type FormValues,
} from './new-appointment-form';

const ok: FormValues = {
  title: 'Check-up',
  clientName: 'Maya Patel',
  clientEmail: 'maya@example.org',
  startsAt: '2026-11-30T10:00',
  endsAt: '2026-11-30T10:30',
  location: 'Room 1',
  notes: '',
  status: 'scheduled',
};

describe('validate', () => {
  it('accepts a complete appointment', () => {
    expect(validate(ok, 'Europe/Berlin')).toEqual({});
  });

  it('says in plain words what is missing or wrong, field by field', () => {
    expect(
      validate({ ...ok, title: '  ', clientName: '', clientEmail: 'maya@', startsAt: '', endsAt: '' }, 'UTC'),
    ).toEqual({
      title: 'Enter a title.',
      clientName: 'Enter the client’s name.',
      clientEmail: 'Enter an e-mail address like name@example.com.',
      startsAt: 'Enter the date and time it starts.',
      endsAt: 'Enter the date and time it ends.',
    });
    expect(validate({ ...ok, clientEmail: '' }, 'UTC').clientEmail).toBe(
      'Enter the client’s e-mail address.',
    );
  });

  it('the end after the start, at most 24 hours later, compared in the clinic zone', () => {
    expect(validate({ ...ok, endsAt: ok.startsAt }, 'UTC').endsAt).toBe('The end must be after the start.');
    expect(validate({ ...ok, endsAt: '2026-12-01T10:01' }, 'UTC').endsAt).toBe(
      'An appointment lasts at most 24 hours.',
    );
    // 01:30 → 03:30 on the night Berlin springs forward is one real hour: fine.
    expect(
      validate({ ...ok, startsAt: '2026-03-29T01:30', endsAt: '2026-03-29T03:30' }, 'Europe/Berlin'),
    ).toEqual({});
  });

  it('lengths as the server limits them', () => {
    expect(validate({ ...ok, title: 'x'.repeat(201) }, 'UTC').title).toBe(
      'At most 200 characters (now 201).',
    );
    expect(validate({ ...ok, notes: 'x'.repeat(5001) }, 'UTC').notes).toMatch(/At most 5000/);
  });
});

describe('toCreateBody', () => {
  it('sends instants read in the clinic zone, trimmed text', () => {
    expect(toCreateBody({ ...ok, title: ' Check-up ', location: ' Room 1 ' }, 'America/New_York')).toEqual({
      ...ok,
      startsAt: '2026-11-30T15:00:00.000Z',
      endsAt: '2026-11-30T15:30:00.000Z',
    });
  });
});

describe('initialValues', () => {
  it('starts at the next full hour in the clinic zone, half an hour long, scheduled', () => {
    const v = initialValues('Europe/Berlin', null, Date.parse('2026-11-28T09:40:00.000Z')); // 10:40 there
    expect(v).toMatchObject({
      startsAt: '2026-11-28T11:00',
      endsAt: '2026-11-28T11:30',
      status: 'scheduled',
      title: '',
    });
    const late = initialValues('UTC', null, Date.parse('2026-12-31T23:10:00.000Z'));
    expect(late.startsAt).toBe('2027-01-01T00:00');
  });

  it('on a day picked in the list: 09:00 that day', () => {
    expect(initialValues('UTC', '2026-12-02').startsAt).toBe('2026-12-02T09:00');
  });
});

describe('serverFieldErrors', () => {
  it('puts a 422’s fields beside their inputs and keeps anything else', () => {
    const e = new ApiError(422, {
      code: 'VALIDATION_FAILED',
      message: 'Check the fields.',
      fields: [
        { field: 'clientEmail', message: 'must look like an e-mail address' },
        { field: 'endsAt', message: 'must be after startsAt' },
        { field: 'priority', message: 'unknown' },
      ],
    });
    expect(serverFieldErrors(e)).toEqual({
      fields: { clientEmail: 'must look like an e-mail address', endsAt: 'must be after startsAt' },
      other: ['priority: unknown'],
    });
    expect(serverFieldErrors(new Error('offline'))).toEqual({ fields: {}, other: [] });
  });
});
