import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, mockApi } from '@/testing/mock-api';
import { ApiError, NetworkError, api, configureApiClient, describeError } from './api-client';

describe('api client', () => {
  afterEach(() => configureApiClient({ getToken: () => null, onUnauthenticated: () => {} }));

  it('sends the bearer token and JSON, and returns the body', async () => {
    configureApiClient({ getToken: () => 'tok', onUnauthenticated: () => {} });
    const m = mockApi().on('POST /api/things', { status: 200, body: { ok: true } });
    await expect(api('/things', { method: 'POST', body: { a: 1 } })).resolves.toEqual({ ok: true });
    expect(m.calls[0]!.headers.Authorization).toBe('Bearer tok');
    expect(m.calls[0]!.body).toEqual({ a: 1 });
  });

  it('turns error bodies into typed ApiErrors', async () => {
    mockApi().on(
      'PUT /api/appointments/a1',
      apiError(422, 'VALIDATION_FAILED', 'Check the fields.', {
        fields: [{ field: 'title', message: 'required' }],
      }),
    );
    const e = await api('/appointments/a1', { method: 'PUT', body: {} }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', fields: [{ field: 'title' }] });
    expect(describeError(e)).toBe('title: required');
  });

  it('reads Retry-After on 429', async () => {
    mockApi().on('POST /api/x', {
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'slow down' } },
      headers: { 'Retry-After': '3' },
    });
    const e = (await api('/x', { method: 'POST' }).catch((x: unknown) => x)) as ApiError;
    expect(e.retryAfter).toBe(3);
    expect(describeError(e)).toBe('Too many attempts. Try again in 3 s.');
  });

  it("a server failure's toast names its request id, from the body or else the header", async () => {
    mockApi()
      .on('GET /api/a', {
        status: 503,
        body: {
          error: { code: 'STORE_UNAVAILABLE', message: 'The data store is not available.', requestId: 'r-1' },
        },
      })
      .on('GET /api/b', {
        status: 500,
        body: { error: { code: 'INTERNAL', message: 'Something went wrong on the server.' } },
        headers: { 'X-Request-Id': 'r-2' },
      })
      .on('GET /api/c', apiError(404, 'NOT_FOUND', 'No such appointment.'));
    const a = (await api('/a').catch((x: unknown) => x)) as ApiError;
    expect(a.requestId).toBe('r-1');
    expect(describeError(a)).toBe('The data store is not available. (Reference: r-1)');
    const b = (await api('/b').catch((x: unknown) => x)) as ApiError;
    expect(describeError(b)).toBe('Something went wrong on the server. (Reference: r-2)');
    // The person's own mistakes read as they are.
    expect(describeError(await api('/c').catch((x: unknown) => x))).toBe('No such appointment.');
  });

  it('a 401 UNAUTHENTICATED ends the session; a login 401 does not', async () => {
    const onUnauthenticated = vi.fn();
    configureApiClient({ getToken: () => 'old', onUnauthenticated });
    mockApi()
      .on('GET /api/me', apiError(401, 'UNAUTHENTICATED', 'Sign in again.'))
      .on('POST /api/auth/login', apiError(401, 'INVALID_CREDENTIALS', 'Wrong.'));
    await expect(api('/me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(onUnauthenticated).toHaveBeenCalledOnce();
    await expect(api('/auth/login', { method: 'POST', body: {}, anonymous: true })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it('a network failure is a NetworkError in plain words', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const e = (await api('/me').catch((x: unknown) => x)) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.message).toMatch(/cannot reach the server/);
    vi.unstubAllGlobals();
  });
});
