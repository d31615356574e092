import { vi } from 'vitest';

export interface MockCall {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
  keepalive?: boolean;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (call: MockCall) => Reply | Promise<Reply>;

/**
 * Replaces `fetch` (the boundary under lib/api-client) with a tiny router:
 * `api.on('PUT /api/appointments/a1', () => ({status: 423, body: {...}}))`.
 */
export function mockApi() {
  const routes = new Map<string, Handler>();
  const calls: MockCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers as Record<string, string>) ?? {}));
    const call: MockCall = {
      method,
      path: url.pathname + url.search,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      headers,
      keepalive: init.keepalive,
    };
    calls.push(call);
    const handler =
      routes.get(`${method} ${url.pathname}${url.search}`) ?? routes.get(`${method} ${url.pathname}`);
    if (!handler)
      return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no mock' } }), {
        status: 404,
      });
    const reply = await handler(call);
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    fetch: fetchMock,
    on(route: string, handler: Handler | Reply) {
      routes.set(route, typeof handler === 'function' ? handler : () => handler);
      return this;
    },
    callsTo(route: string) {
      const [m, p] = route.split(' ');
      return calls.filter((c) => c.method === m && c.path.split('?')[0] === p);
    },
  };
}

export function apiError(status: number, code: string, message: string, extra: object = {}): Reply {
  return { status, body: { error: { code, message, ...extra } } };
}
