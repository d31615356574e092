import type { Appointment, AppointmentLock, FieldError } from './api/models';

/** An answer from the server that is not a 2xx: the body's `error` object, typed. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldError[];
  readonly current?: Appointment;
  readonly lock?: AppointmentLock;
  readonly retryAfter?: number;
  /** The server's id for the request (its log line names it too). */
  readonly requestId?: string;

  constructor(
    status: number,
    body: {
      code?: string;
      message?: string;
      fields?: FieldError[];
      current?: Appointment;
      lock?: AppointmentLock;
      retryAfter?: number;
      requestId?: string;
    },
  ) {
    super(body.message ?? `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? 'UNKNOWN';
    this.fields = body.fields;
    this.current = body.current;
    this.lock = body.lock;
    this.retryAfter = body.retryAfter;
    this.requestId = body.requestId;
  }
}

/** The server could not be reached at all. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('slotlock cannot reach the server. Check your connection and try again.', { cause });
    this.name = 'NetworkError';
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

interface ClientHooks {
  getToken: () => string | null;
  onUnauthenticated: () => void;
}

let hooks: ClientHooks = { getToken: () => null, onUnauthenticated: () => {} };

/** The auth feature tells the client where the token lives and what a 401 means. */
export function configureApiClient(next: ClientHooks) {
  hooks = next;
}

export function authHeader(): Record<string, string> {
  const token = hooks.getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  keepalive?: boolean;
  /** Login answers 401 for a wrong password: that is not a lost session. */
  anonymous?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (!options.anonymous) Object.assign(headers, authHeader());
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new NetworkError(e);
  }

  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }

  if (!res.ok) {
    const body = (parsed as { error?: ConstructorParameters<typeof ApiError>[1] } | undefined)?.error ?? {};
    const retryHeader = res.headers.get('Retry-After');
    const error = new ApiError(res.status, {
      ...body,
      retryAfter: body.retryAfter ?? (retryHeader ? Number(retryHeader) : undefined),
      requestId: body.requestId ?? res.headers.get('X-Request-Id') ?? undefined,
    });
    if (res.status === 401 && error.code === 'UNAUTHENTICATED' && !options.anonymous)
      hooks.onUnauthenticated();
    throw error;
  }
  return { status: res.status, data: parsed as T };
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await apiRequest<T>(path, options)).data;
}

/**
 * Plain words for a toast. A failure on the server's side (5xx) ends with the request's id, so
 * that whoever runs the server can find its log line.
 */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'RATE_LIMITED' && e.retryAfter)
      return `Too many attempts. Try again in ${e.retryAfter} s.`;
    if (e.code === 'VALIDATION_FAILED' && e.fields?.length)
      return e.fields.map((f) => `${f.field}: ${f.message}`).join(' · ');
    if (e.status >= 500 && e.requestId) return `${e.message} (Reference: ${e.requestId})`;
    return e.message;
  }
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}
