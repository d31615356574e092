'use strict';
// The "seed stack" peer: what a team would write first with Express + ws. It answers the
// routes the benchmark drives with slotlock's JSON shapes, from in-memory maps:
//   POST /api/users, POST /api/auth/login, POST /api/appointments, POST /api/ws-tickets,
//   GET  /api/appointments/:id/lock-status, POST …/acquire-lock, DELETE …/release-lock,
//   WS   /api/appointments/:id/updates?ticket=…&sessionId=…  (snapshot, presence, cursors)
// Deliberately minimal: nothing is persisted or audited, no rate limits, no expiry timer,
// and cursor moves are broadcast raw (one frame per move per viewer, no coalescing).
// Bench-only; never a part of slotlock.

const crypto = require('node:crypto');
const http = require('node:http');
const express = require('express');
const { WebSocketServer } = require('ws');

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 8090);
const LOCK_TTL_MS = 300_000;
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2',
  '#db2777', '#65a30d', '#4f46e5', '#ca8a04', '#0d9488', '#c026d3'];

const users = new Map();        // email -> {id, name, email, role, password, color}
const tokens = new Map();       // bearer token -> user
const tickets = new Map();      // ws ticket -> {user, expires}
const appointments = new Map(); // id -> appointment
const locks = new Map();        // appointment id -> AppointmentLock
const fencing = new Map();      // appointment id -> last fencing token
const rooms = new Map();        // appointment id -> Set of sockets

const id = () => crypto.randomBytes(8).toString('hex');
const now = () => new Date().toISOString();
const error = (res, status, code, message, extra = {}) =>
  res.status(status).json({ error: { code, message, ...extra } });

function addUser({ email, name, role = 'user', password }) {
  const u = { id: id(), email, name, role, password,
    color: PALETTE[users.size % PALETTE.length] };
  users.set(email, u);
  return u;
}
addUser({ email: 'carol@example.com', name: 'Carol Diaz', role: 'admin', password: 'carol-demo' });

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(express.json({ limit: '64kb' }));

app.post('/api/auth/login', (req, res) => {
  const u = users.get(req.body?.email);
  if (!u || u.password !== req.body?.password) {
    return error(res, 401, 'INVALID_CREDENTIALS', 'Wrong e-mail or password.');
  }
  const token = crypto.randomBytes(24).toString('base64url');
  tokens.set(token, u);
  res.json({ token, user: { id: u.id, name: u.name, email: u.email, role: u.role } });
});

// The bearer check every other /api route passes first.
app.use('/api', (req, res, next) => {
  const h = req.get('authorization') || '';
  const u = h.startsWith('Bearer ') ? tokens.get(h.slice(7)) : undefined;
  if (!u) return error(res, 401, 'UNAUTHENTICATED', 'Sign in first.');
  req.user = u;
  next();
});

app.post('/api/users', (req, res) => {
  if (req.user.role !== 'admin') return error(res, 403, 'FORBIDDEN', 'Admins only.');
  if (users.has(req.body?.email)) return error(res, 409, 'CONFLICT', 'E-mail taken.');
  const u = addUser(req.body);
  res.status(201).json({ id: u.id, name: u.name, email: u.email, role: u.role, disabled: false });
});

app.post('/api/appointments', (req, res) => {
  const a = { id: id(), ...req.body, version: 1, updatedAt: now(),
    updatedBy: { id: req.user.id, name: req.user.name, email: req.user.email } };
  appointments.set(a.id, a);
  res.status(201).json(a);
});

app.post('/api/ws-tickets', (req, res) => {
  const ticket = crypto.randomBytes(24).toString('base64url');
  const expires = Date.now() + 30_000;
  tickets.set(ticket, { user: req.user, expires });
  res.json({ ticket, expiresAt: new Date(expires).toISOString() });
});

function liveLock(aid) {
  const l = locks.get(aid);
  if (l && Date.parse(l.expiresAt) <= Date.now()) { locks.delete(aid); return null; }
  return l || null;
}

app.get('/api/appointments/:id/lock-status', (req, res) => {
  if (!appointments.has(req.params.id)) return error(res, 404, 'NOT_FOUND', 'No such appointment.');
  const lock = liveLock(req.params.id);
  res.json({ locked: lock !== null, lock, serverTime: now() });
});

app.post('/api/appointments/:id/acquire-lock', (req, res) => {
  const aid = req.params.id;
  if (!appointments.has(aid)) return error(res, 404, 'NOT_FOUND', 'No such appointment.');
  const sessionId = req.body?.sessionId;
  if (typeof sessionId !== 'string' || !sessionId) return error(res, 400, 'BAD_REQUEST', 'sessionId is required.');
  const u = req.user;
  const held = liveLock(aid);
  const t = now();
  const expiresAt = new Date(Date.now() + LOCK_TTL_MS).toISOString();
  if (held) {
    if (held.userId === u.id && held.sessionId === sessionId) {
      held.lastActivityAt = t;
      held.expiresAt = expiresAt;
      return res.json({ lock: held, serverTime: t });
    }
    return error(res, 409, 'LOCK_HELD', 'Someone else is editing.', { lock: held });
  }
  const token = (fencing.get(aid) || 0) + 1;
  fencing.set(aid, token);
  const lock = { appointmentId: aid, userId: u.id, userInfo: { name: u.name, email: u.email },
    sessionId, acquiredAt: t, lastActivityAt: t, expiresAt, fencingToken: token, position: null };
  locks.set(aid, lock);
  res.json({ lock, serverTime: t });
});

app.delete('/api/appointments/:id/release-lock', (req, res) => {
  const aid = req.params.id;
  if (!appointments.has(aid)) return error(res, 404, 'NOT_FOUND', 'No such appointment.');
  const held = liveLock(aid);
  if (!held) return res.json({ released: false });
  if (held.userId !== req.user.id) return error(res, 403, 'NOT_LOCK_OWNER', 'Someone else holds it.', { lock: held });
  locks.delete(aid);
  res.json({ released: true });
});

app.use((req, res) => error(res, 404, 'NOT_FOUND', 'No such route.'));

// ---- the room: snapshot on join, presence on join/leave, cursors broadcast raw --------------
const server = http.createServer(app);
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

function viewer(ws) {
  const u = ws.user;
  return { userId: u.id, name: u.name, email: u.email, role: u.role, sessionId: ws.sessionId, color: u.color };
}
function send(ws, rest) {
  // rest is the frame without its per-connection seq: `,"type":…}`
  ws.send('{"seq":' + (++ws.seq) + rest);
}
function broadcastPresence(room) {
  const rest = ',"type":"presence","presence":' + JSON.stringify([...room].map(viewer)) + '}';
  for (const ws of room) send(ws, rest);
}

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://x');
  const m = /^\/api\/appointments\/([^/]+)\/updates$/.exec(url.pathname);
  const t = tickets.get(url.searchParams.get('ticket') || '');
  const sessionId = url.searchParams.get('sessionId') || '';
  if (!m || !appointments.has(m[1]) || !t || t.expires < Date.now() || !sessionId) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  tickets.delete(url.searchParams.get('ticket'));
  wss.handleUpgrade(req, socket, head, (ws) => {
    const aid = m[1];
    ws.user = t.user;
    ws.sessionId = sessionId;
    ws.seq = 0;
    let room = rooms.get(aid);
    if (!room) rooms.set(aid, (room = new Set()));
    room.add(ws);
    const a = appointments.get(aid);
    send(ws, ',"type":"snapshot","serverTime":"' + now() + '","lock":' + JSON.stringify(liveLock(aid)) +
      ',"appointment":' + JSON.stringify({ id: a.id, version: a.version }) +
      ',"presence":' + JSON.stringify([...room].map(viewer)) + ',"cursors":[],"queue":[]}');
    broadcastPresence(room);
    ws.on('message', (data, isBinary) => {
      let msg;
      try { msg = isBinary ? null : JSON.parse(data); } catch { msg = null; }
      if (msg && msg.type === 'cursor' && typeof msg.x === 'number' && typeof msg.y === 'number' &&
          msg.x >= 0 && msg.x <= 1 && msg.y >= 0 && msg.y <= 1) {
        const u = ws.user;
        const rest = ',"type":"cursors","cursors":[' + JSON.stringify({ userId: u.id, sessionId: ws.sessionId,
          name: u.name, color: u.color, x: msg.x, y: msg.y }) + ']}';
        for (const other of room) if (other.user !== u) send(other, rest);
      } else if (msg && msg.type === 'ping') {
        send(ws, ',"type":"pong","serverTime":"' + now() + '"}');
      } else if (msg && msg.type !== 'activity') {
        send(ws, ',"type":"error","code":"BAD_MESSAGE","message":"Unknown frame."}');
      }
    });
    ws.on('close', () => {
      room.delete(ws);
      if (room.size === 0) rooms.delete(aid);
      else broadcastPresence(room);
    });
  });
});

server.keepAliveTimeout = 65_000;
server.listen(PORT, HOST, () => console.log(`node peer listening on http://${HOST}:${PORT}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
