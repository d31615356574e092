// A WebSocket client written over node:http, for tests that play an attacker. A browser (and
// Node 20, which has WebSocket only behind --experimental-websocket) hides what these tests
// must see: the HTTP status of a refused upgrade, the close code and reason, and bytes that
// are not UTF-8. The request target is sent exactly as given (`sessionId=%FF%FE` stays so).
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Asks `baseUrl` to upgrade `target`. Resolves with `{ status, body }` when the server refuses,
 * or with an open RawSocket (status 101).
 */
export function openRawSocket(baseUrl, target, { headers = {}, timeoutMs = 10_000 } = {}) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({
      host: hostname,
      port,
      path: target,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to the upgrade of ${target}`)));
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('upgrade', (res, socket, head) => {
      req.setTimeout(0);
      resolve(new RawSocket(socket, head));
    });
    req.on('error', reject);
    req.end();
  });
}

export class RawSocket {
  status = 101;
  /** Text messages in arrival order but `presence` and `cursors`: `{ text, json }` (json null if not JSON). */
  messages = [];
  /** Every text message, kept or not. */
  received = 0;
  /** Messages whose bytes were not valid UTF-8 (a browser closes the socket on the first one). */
  invalidUtf8 = 0;
  /** `{ code, reason }` once closed; 1006 when the connection ended without a close frame. */
  closedWith = null;
  #buffer;
  #fragments = [];
  #waiters = new Set();
  #sentClose = false;

  constructor(socket, head) {
    this.socket = socket;
    this.#buffer = Buffer.from(head ?? []);
    socket.on('data', (chunk) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    socket.on('close', () => this.#closed(1006, ''));
    socket.on('error', () => {});
    this.#parse();
  }

  /** The first message of `type`, or the close, whichever comes first (null if closed). */
  next(predicate, timeoutMs = 10_000) {
    const found = this.messages.find((m) => predicate(m.json));
    if (found) return Promise.resolve(found.json);
    if (this.closedWith) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const waiter = {
        check: (m) => (m === null || predicate(m.json)) && (done(), resolve(m?.json ?? null)),
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        return true;
      };
      this.#waiters.add(waiter);
    });
  }

  /** Resolves with `{ code, reason }` when the socket closes. */
  async closed(timeoutMs = 10_000) {
    if (!this.closedWith) await this.next(() => false, timeoutMs).catch(() => {});
    return this.closedWith;
  }

  send(value) {
    this.#write(0x1, Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
  }

  close(code = 1000) {
    if (this.closedWith) return;
    this.#sendClose(code);
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  #sendClose(code) {
    if (this.#sentClose) return;
    this.#sentClose = true;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.#write(0x8, payload);
  }

  /** Client frames are masked (RFC 6455 §5.3). */
  #write(opcode, payload) {
    if (this.socket.destroyed) return;
    const mask = randomBytes(4);
    let header;
    if (payload.length < 126) {
      header = Buffer.from([0x80 | opcode, 0x80 | payload.length]);
    } else if (payload.length < 65_536) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 0x80 | 126;
      header.writeUInt16BE(payload.length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(payload.length), 2);
    }
    const masked = Buffer.from(payload);
    for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i % 4];
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  #parse() {
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      const fin = (b[0] & 0x80) !== 0;
      const opcode = b[0] & 0x0f;
      const masked = (b[1] & 0x80) !== 0;
      let length = b[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const mask = masked ? b.subarray(offset, offset + 4) : null;
      if (masked) offset += 4;
      if (b.length < offset + length) return;
      const payload = Buffer.from(b.subarray(offset, offset + length));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
      this.#buffer = b.subarray(offset + length);
      this.#frame(fin, opcode, payload);
    }
  }

  #frame(fin, opcode, payload) {
    if (opcode === 0x9) return this.#write(0xa, payload); // ping → pong
    if (opcode === 0xa) return;
    if (opcode === 0x8) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      const reason = payload.subarray(2).toString('utf8');
      this.#sendClose(code === 1005 ? 1000 : code);
      this.socket.end();
      return this.#closed(code, reason);
    }
    this.#fragments.push(payload);
    if (!fin) return;
    const bytes = Buffer.concat(this.#fragments);
    this.#fragments = [];
    let text;
    try {
      text = utf8.decode(bytes);
    } catch {
      this.invalidUtf8++;
      text = bytes.toString('latin1');
    }
    this.received++;
    // A flood of sockets in one room gets a presence frame per join on every socket:
    // counted, not parsed or kept, or the test itself would need gigabytes.
    // (A cheap look at the start; a frame that puts `type` later is parsed like any other.)
    if (/"type":"(presence|cursors)"/.test(text.slice(0, 80))) return;
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // kept as text
    }
    const message = { text, json };
    this.messages.push(message);
    for (const w of [...this.#waiters]) w.check(message);
  }

  #closed(code, reason) {
    if (this.closedWith) return;
    this.closedWith = { code, reason };
    for (const w of [...this.#waiters]) w.check(null);
  }
}
