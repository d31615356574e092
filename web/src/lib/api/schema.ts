// Generated from docs/openapi.yaml by `npm run api:types` (openapi-typescript). Do not edit:
// change the document and generate again. `npm run check` fails when this file is stale.

export interface paths {
  '/api/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign in with e-mail and password
     * @description Rate limited per client address (bursts of 60, then 2 per second) and, for failures, per
     *     e-mail and address (5, then one every 12 s). Password checks run on a pool of their own;
     *     when it is full the answer is 503 `SERVER_BUSY` with `Retry-After: 1`.
     */
    post: operations['login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign out; the token stops working at once */
    post: operations['logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user */
    get: operations['getMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ws-tickets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A one-time ticket to open a WebSocket
     * @description A ticket works once and for 30 s, and only while the sign-in that asked for it lasts.
     */
    post: operations['createWsTicket'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/config': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The clinic's time zone and whether the server runs --demo */
    get: operations['getConfig'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One page of appointments with their locks
     * @description Ordered by `startsAt`, then `id`. Any bad parameter is 400 `BAD_REQUEST` whose message
     *     names it and whose `fields` has one entry for it.
     */
    get: operations['listAppointments'];
    put?: never;
    /** Create an appointment */
    post: operations['createAppointment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    /** One appointment */
    get: operations['getAppointment'];
    /**
     * Save an appointment (needs its lock)
     * @description Checked in this order: the lock token (423), the version (409 `VERSION_CONFLICT` with
     *     `current`), the fields (422). `location`, `notes` and `status` left out are saved as
     *     their defaults (`""`, `""`, `scheduled`).
     */
    put: operations['saveAppointment'];
    post?: never;
    /** Delete an appointment (needs its lock); it becomes a tombstone */
    delete: operations['deleteAppointment'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    /** The saved versions of an appointment, newest first */
    get: operations['getHistory'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/conflicts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The appointments a time and location would overlap */
    get: operations['getConflicts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/lock-status': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    /** Who holds the appointment's lock */
    get: operations['getLockStatus'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/acquire-lock': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Take the lock, refresh it, queue for it, or take it over (admins) */
    post: operations['acquireLock'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/heartbeat': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The holder is still working; pushes expiresAt on */
    post: operations['heartbeat'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/release-lock': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Release the caller's lock, or (admins, force=true) anyone's */
    delete: operations['releaseLock'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/queue': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Leave the waiting line (declines an offer made to the tab) */
    delete: operations['leaveQueue'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/request-control': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask the holder to hand the lock over (admins) */
    post: operations['requestControl'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit log, newest first (admins) */
    get: operations['listAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/audit': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    /** One appointment's audit log, newest first (admins) */
    get: operations['listAppointmentAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every user (admins) */
    get: operations['listUsers'];
    put?: never;
    /** Add a user (admins) */
    post: operations['createUser'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The user's id. */
        id: string;
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Rename, change the role of, disable or give a new password to a user (admins) */
    patch: operations['changeUser'];
    trace?: never;
  };
  '/api/updates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The list-wide WebSocket feed (lock events and saves of every appointment)
     * @description A WebSocket upgrade (`Connection: Upgrade`, `Upgrade: websocket`); a browser cannot send
     *     `Authorization` on it, so it signs in with a ticket from `POST /api/ws-tickets`. A refusal
     *     is a plain HTTP answer with the `Error` body, after which the connection is closed. A
     *     request without the upgrade headers is `404 NOT_FOUND`.
     */
    get: operations['openFeed'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/appointments/{id}/updates': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    /**
     * One appointment's WebSocket room
     * @description As `GET /api/updates`, for one appointment's room.
     */
    get: operations['openRoom'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document, as JSON */
    get: operations['getOpenApi'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness; the process answers */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness; the store takes writes now
     * @description One round trip through the writer, bounded by the store's timeouts (5 s).
     */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /**
     * Format: date-time
     * @description An instant as the server writes it, UTC with milliseconds.
     */
    Instant: string;
    /** @description A browser tab, 1–128 characters of `A-Z a-z 0-9 . _ : -`. */
    SessionId: string;
    /** @enum {string} */
    Role: 'user' | 'admin';
    /** @enum {string} */
    AppointmentStatus: 'scheduled' | 'confirmed' | 'cancelled';
    User: {
      id: string;
      name: string;
      email: string;
      role: components['schemas']['Role'];
      disabled: boolean;
    };
    /** @description A user as an appointment's `updatedBy` or an audit row names them. */
    UserRef: {
      id: string;
      name: string;
      email: string;
    };
    /** @description A user as history entries and WebSocket frames name them. */
    Person: {
      userId: string;
      name: string;
      email: string;
    };
    LoginRequest: {
      email: string;
      password: string;
    };
    LoginResponse: {
      token: string;
      expiresAt: components['schemas']['Instant'];
      user: components['schemas']['User'];
    };
    WsTicket: {
      ticket: string;
      expiresAt: components['schemas']['Instant'];
    };
    ClinicConfig: {
      /** @description The clinic's IANA time zone (`--time-zone`). */
      timeZone: string;
      /** @description Whether the server runs `--demo`. */
      demo: boolean;
    };
    /** @description An appointment's editable fields; unknown members are ignored. */
    NewAppointment: {
      title: string;
      clientName: string;
      clientEmail: string;
      startsAt: string;
      /** @description After `startsAt`, at most 24 hours later. */
      endsAt: string;
      /** @description `""` when left out. */
      location?: string;
      /** @description `""` when left out. */
      notes?: string;
      /** @description `scheduled` when left out. */
      status?: components['schemas']['AppointmentStatus'];
    };
    /** @description The editable fields and the `version` the edit is based on. */
    AppointmentSave: components['schemas']['NewAppointment'] & {
      version: number;
    };
    /** @description The members every appointment answer has (see `Appointment`). */
    AppointmentFields: {
      id: string;
      title: string;
      clientName: string;
      clientEmail: string;
      startsAt: components['schemas']['Instant'];
      endsAt: components['schemas']['Instant'];
      location: string;
      notes: string;
      status: components['schemas']['AppointmentStatus'];
      /** @description 1 on creation, + 1 on every save. */
      version: number;
      updatedAt: components['schemas']['Instant'];
      updatedBy: components['schemas']['UserRef'];
    };
    Appointment: components['schemas']['AppointmentFields'];
    /** @description A row of `GET /api/appointments`, the appointment and its lock. */
    AppointmentListItem: components['schemas']['AppointmentFields'] & {
      lock: components['schemas']['AppointmentLock'] | null;
    };
    /** @description A created or saved appointment and the appointments it now overlaps. */
    SavedAppointment: components['schemas']['AppointmentFields'] & {
      conflicts: components['schemas']['Conflict'][];
    };
    AppointmentPage: {
      items: components['schemas']['AppointmentListItem'][];
      /** @description Pass as `cursor` for the next page; null on the last page. */
      nextCursor: string | null;
    };
    /** @description Another appointment in the same location whose time overlaps. */
    Conflict: {
      id: string;
      title: string;
      startsAt: components['schemas']['Instant'];
      endsAt: components['schemas']['Instant'];
      location: string;
    };
    ConflictList: {
      conflicts: components['schemas']['Conflict'][];
    };
    HistoryChange: {
      /** @description The API field name. */
      field: string;
      /** @description Null on creation. */
      from: string | null;
      to: string | null;
    };
    /** @description One saved version of an appointment. */
    HistoryEntry: {
      version: number;
      at: components['schemas']['Instant'];
      by: components['schemas']['Person'];
      changes: components['schemas']['HistoryChange'][];
    };
    HistoryPage: {
      items: components['schemas']['HistoryEntry'][];
    };
    /** @description The holder's pointer in the form, as fractions of its size. */
    Position: {
      x: number;
      y: number;
    };
    AppointmentLock: {
      appointmentId: string;
      userId: string;
      userInfo: {
        name: string;
        email: string;
      };
      /** @description The browser tab that holds it. */
      sessionId: string;
      acquiredAt: components['schemas']['Instant'];
      lastActivityAt: components['schemas']['Instant'];
      /** @description `lastActivityAt` + the lock TTL (`--lock-ttl`). */
      expiresAt: components['schemas']['Instant'];
      /** @description Grows with every new grant; survives release and restart. */
      fencingToken: number;
      /** @description The holder's pointer in the appointment's room, or null. */
      position: components['schemas']['Position'] | null;
    };
    /** @description The lock offered to the head of the line until `deadline`. */
    Offer: {
      appointmentId: string;
      userId: string;
      name: string;
      email: string;
      sessionId: string;
      deadline: components['schemas']['Instant'];
    };
    LockStatus: {
      locked: boolean;
      lock: components['schemas']['AppointmentLock'] | null;
      serverTime: components['schemas']['Instant'];
    };
    AcquireRequest: {
      sessionId: components['schemas']['SessionId'];
      /** @description Admins only; take a held lock at once. */
      takeover?: boolean;
      /** @description Wait in line when the lock is held or offered. */
      queue?: boolean;
      /** @description With `takeover`, the token of the lock the admin confirmed taking over. */
      fencingToken?: number;
    };
    SessionRequest: {
      sessionId: components['schemas']['SessionId'];
    };
    LockGrant: {
      lock: components['schemas']['AppointmentLock'];
      serverTime: components['schemas']['Instant'];
    };
    Queued: {
      /** @constant */
      queued: true;
      /** @description The caller's 1-based place in line. */
      position: number;
    };
    Released: {
      released: boolean;
    };
    LeftQueue: {
      left: boolean;
    };
    ControlRequested: {
      deadline: components['schemas']['Instant'];
    };
    /** @enum {string} */
    AuditAction:
      | 'acquired'
      | 'released'
      | 'expired'
      | 'granted'
      | 'control_requested'
      | 'control_handed_over'
      | 'taken_over'
      | 'force_released'
      | 'offered'
      | 'offer_declined'
      | 'offer_expired'
      | 'deleted';
    AuditEntry: {
      /** @description Only grows. */
      id: number;
      at: components['schemas']['Instant'];
      appointmentId: string;
      action: components['schemas']['AuditAction'];
      /** @description Null for the system (expiry). */
      actor: components['schemas']['UserRef'] | null;
      previousHolder: components['schemas']['UserRef'] | null;
      /** @description Why (docs/api.md lists the reasons of each action). */
      reason: string;
    };
    AuditPage: {
      items: components['schemas']['AuditEntry'][];
      /** @description The last row's id when the page is full; null when it has fewer rows than `limit`. */
      nextBefore: number | null;
    };
    UserList: {
      items: components['schemas']['User'][];
    };
    NewUser: {
      email: string;
      name: string;
      role?: components['schemas']['Role'];
      password: string;
    };
    UserChanges: {
      name?: string;
      role?: components['schemas']['Role'];
      disabled?: boolean;
      password?: string;
    };
    Health: {
      /** @constant */
      status: 'ok';
    };
    Ready: {
      /** @constant */
      status: 'ready';
    };
    FieldError: {
      field: string;
      message: string;
    };
    /** @enum {string} */
    ErrorCode:
      | 'BAD_REQUEST'
      | 'VALIDATION_FAILED'
      | 'UNAUTHENTICATED'
      | 'INVALID_CREDENTIALS'
      | 'FORBIDDEN'
      | 'NOT_FOUND'
      | 'METHOD_NOT_ALLOWED'
      | 'PAYLOAD_TOO_LARGE'
      | 'CONFLICT'
      | 'VERSION_CONFLICT'
      | 'LOCK_HELD'
      | 'LOCK_OFFERED'
      | 'LOCK_NOT_HELD'
      | 'NOT_LOCK_OWNER'
      | 'NOT_LOCKED'
      | 'QUEUE_FULL'
      | 'NOT_CONNECTED'
      | 'RATE_LIMITED'
      | 'STORE_UNAVAILABLE'
      | 'SERVER_BUSY'
      | 'INTERNAL';
    ErrorDetail: {
      code: components['schemas']['ErrorCode'];
      /** @description Plain words for a person. */
      message: string;
      /** @description One entry per bad field (`VALIDATION_FAILED`) or the bad parameter (`BAD_REQUEST`). */
      fields?: components['schemas']['FieldError'][];
      /** @description `VERSION_CONFLICT`: the appointment as stored. */
      current?: components['schemas']['Appointment'];
      /** @description `LOCK_HELD`, `NOT_LOCK_OWNER`: the holder's lock. */
      lock?: components['schemas']['AppointmentLock'];
      /** @description `LOCK_OFFERED`: the open offer. */
      offer?: components['schemas']['Offer'];
      /** @description `RATE_LIMITED`, `SERVER_BUSY`: seconds to wait, as the `Retry-After` header says. */
      retryAfter?: number;
      /** @description The request's id (`X-Request-Id`), as logged; quote it when reporting a problem. */
      requestId: string;
    };
    /** @description The body of every error answer. */
    Error: {
      error: components['schemas']['ErrorDetail'];
    };
    /** @description A connection in a room (WebSocket `presence`). */
    Viewer: {
      userId: string;
      name: string;
      email: string;
      role: components['schemas']['Role'];
      sessionId: string;
      color: string;
    };
    /** @description A pointer in a room (WebSocket `cursors`). */
    Cursor: {
      userId: string;
      sessionId: string;
      name: string;
      color: string;
      x: number;
      y: number;
    };
    /** @description A place in the waiting line (WebSocket `lock.queue`). */
    QueueEntry: {
      userId: string;
      name: string;
      role: components['schemas']['Role'];
    };
    /** @enum {string} */
    EditableField:
      'title' | 'clientName' | 'clientEmail' | 'startsAt' | 'endsAt' | 'location' | 'notes' | 'status';
    /** @description The holder's unsaved values that differ from the saved version (WebSocket `draft`). */
    Draft: {
      sessionId: string;
      userId: string;
      name: string;
      /** @description Keyed by `EditableField`. */
      fields: {
        title?: string;
        clientName?: string;
        clientEmail?: string;
        startsAt?: string;
        endsAt?: string;
        location?: string;
        notes?: string;
        status?: string;
      };
    };
  };
  responses: {
    /** @description Done; no body. */
    NoContent: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content?: never;
    };
    /** @description The connection is now a WebSocket; every frame is a JSON text message (docs/api.md). */
    SwitchingProtocols: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content?: never;
    };
    /** @description A page of audit rows. */
    AuditPage: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['AuditPage'];
      };
    };
    /** @description `BAD_REQUEST`: malformed JSON, a value of the wrong type, a missing member, a bad parameter. */
    BadRequest: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `UNAUTHENTICATED`: a missing, unknown, expired or revoked token (or WebSocket ticket). */
    Unauthenticated: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `INVALID_CREDENTIALS`: a wrong e-mail or password (the same answer for both). */
    InvalidCredentials: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `FORBIDDEN` (the role does not allow it; a WebSocket `Origin` refused) or `NOT_LOCK_OWNER` (with `lock`). */
    Forbidden: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `NOT_FOUND`: no such appointment or user, or a deleted appointment. */
    NotFound: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /**
     * @description `CONFLICT`, `VERSION_CONFLICT` (with `current`), `LOCK_HELD` (with `lock`), `LOCK_OFFERED`
     *     (with `offer`), `NOT_LOCKED`, `LOCK_NOT_HELD` (a heartbeat from a tab without the lock),
     *     `NOT_CONNECTED` or `QUEUE_FULL`.
     */
    Conflict: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `PAYLOAD_TOO_LARGE`: a body over 64 KiB; the connection is closed. */
    PayloadTooLarge: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `VALIDATION_FAILED`: well-formed but invalid values, one `fields` entry per bad field. */
    ValidationFailed: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `LOCK_NOT_HELD`: no `X-Lock-Token`, or one that is not the caller's current live lock. */
    LockNotHeld: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `RATE_LIMITED`: too many attempts; `retryAfter` and `Retry-After` say when to try again. */
    RateLimited: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'Retry-After': components['headers']['RetryAfter'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description `INTERNAL`: a failure the server did not expect (a bug). */
    Internal: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /**
     * @description `STORE_UNAVAILABLE` (the database cannot be reached) or `SERVER_BUSY` (too many sign-ins
     *     queued, or too many writers on one appointment; with `retryAfter` and `Retry-After`).
     */
    Unavailable: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'Retry-After': components['headers']['RetryAfter'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
  };
  parameters: {
    /**
     * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
     *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
     *     anything else, the server makes one and ignores the header.
     */
    RequestId: string;
    /** @description The appointment's id. */
    AppointmentId: string;
    /** @description The `fencingToken` of the caller's current lock; missing or stale is 423 `LOCK_NOT_HELD`. */
    LockToken: number;
    AuditAction: components['schemas']['AuditAction'];
    /** @description An audit row id; only rows with a smaller id are listed (the previous page's `nextBefore`). */
    AuditBefore: number;
    AuditLimit: number;
    /** @description A ticket from `POST /api/ws-tickets` (one use, 30 s). */
    WsTicket: string;
    /** @description The browser tab. */
    WsSessionId: components['schemas']['SessionId'];
  };
  requestBodies: never;
  headers: {
    /**
     * @description The request's id, as logged: the request's own `X-Request-Id` when it sent exactly one of
     *     1–128 characters of `A–Z a–z 0–9 - _ . : / + =`, else one the server made. Every answer
     *     carries it.
     */
    RequestId: string;
    /** @description Seconds to wait before trying again. */
    RetryAfter: number;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  login: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LoginRequest'];
      };
    };
    responses: {
      /** @description Signed in; the token is valid for 12 hours. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LoginResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['InvalidCredentials'];
      413: components['responses']['PayloadTooLarge'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  logout: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      401: components['responses']['Unauthenticated'];
      413: components['responses']['PayloadTooLarge'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  getMe: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The caller. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      401: components['responses']['Unauthenticated'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  createWsTicket: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The ticket. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WsTicket'];
        };
      };
      401: components['responses']['Unauthenticated'];
      413: components['responses']['PayloadTooLarge'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  getConfig: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The configuration the web app needs before sign-in. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ClinicConfig'];
        };
      };
      500: components['responses']['Internal'];
    };
  };
  listAppointments: {
    parameters: {
      query?: {
        /** @description Inclusive lower bound of `startsAt`; the start of today (UTC) when missing. */
        from?: string;
        /** @description Exclusive upper bound of `startsAt`; after `from`. */
        to?: string;
        /** @description Case-insensitive substring of title, client name, client e-mail, location or notes. */
        q?: string;
        /** @description Any of these statuses; may be given several times. */
        status?: components['schemas']['AppointmentStatus'][];
        limit?: number;
        /** @description The previous page's `nextCursor`, with the same other parameters. */
        cursor?: string;
      };
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AppointmentPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  createAppointment: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['NewAppointment'];
      };
    };
    responses: {
      /** @description Created (version 1), with the appointments it overlaps (a warning). */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SavedAppointment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationFailed'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  getAppointment: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The appointment. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Appointment'];
        };
      };
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  saveAppointment: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
        /** @description The `fencingToken` of the caller's current lock; missing or stale is 423 `LOCK_NOT_HELD`. */
        'X-Lock-Token'?: components['parameters']['LockToken'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AppointmentSave'];
      };
    };
    responses: {
      /** @description Saved, `version` + 1, with the appointments it overlaps (a warning). */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SavedAppointment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationFailed'];
      423: components['responses']['LockNotHeld'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  deleteAppointment: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
        /** @description The `fencingToken` of the caller's current lock; missing or stale is 423 `LOCK_NOT_HELD`. */
        'X-Lock-Token'?: components['parameters']['LockToken'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      423: components['responses']['LockNotHeld'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  getHistory: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The history (deleted appointments' too). */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HistoryPage'];
        };
      };
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  getConflicts: {
    parameters: {
      query: {
        startsAt: string;
        /** @description After `startsAt`, at most 24 hours later. */
        endsAt: string;
        location?: string;
        /** @description The appointment being edited. */
        excludeId?: string;
      };
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description At most 20 conflicts. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ConflictList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  getLockStatus: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The lock, or null when it is free (never an expired one). */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LockStatus'];
        };
      };
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  acquireLock: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AcquireRequest'];
      };
    };
    responses: {
      /** @description The caller holds the lock. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LockGrant'];
        };
      };
      /** @description `queue: true` on a held or offered lock: the caller waits in line. */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Queued'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  heartbeat: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SessionRequest'];
      };
    };
    responses: {
      /** @description The lock with a later `expiresAt`. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LockGrant'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  releaseLock: {
    parameters: {
      query?: {
        /** @description `true`: an admin frees anyone's lock (403 `FORBIDDEN` for users). */
        force?: 'true' | 'false';
      };
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `released: false` when the caller held nothing. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Released'];
        };
      };
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  leaveQueue: {
    parameters: {
      query: {
        sessionId: components['schemas']['SessionId'];
      };
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `left: false` when the tab was not in line. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LeftQueue'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  requestControl: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SessionRequest'];
      };
    };
    responses: {
      /** @description The request is pending until `deadline`. */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ControlRequested'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  listAudit: {
    parameters: {
      query?: {
        appointmentId?: string;
        /** @description A user id. */
        actorId?: string;
        action?: components['parameters']['AuditAction'];
        /** @description An audit row id; only rows with a smaller id are listed (the previous page's `nextBefore`). */
        before?: components['parameters']['AuditBefore'];
        limit?: components['parameters']['AuditLimit'];
      };
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: components['responses']['AuditPage'];
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  listAppointmentAudit: {
    parameters: {
      query?: {
        action?: components['parameters']['AuditAction'];
        /** @description An audit row id; only rows with a smaller id are listed (the previous page's `nextBefore`). */
        before?: components['parameters']['AuditBefore'];
        limit?: components['parameters']['AuditLimit'];
      };
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: components['responses']['AuditPage'];
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  listUsers: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The users. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserList'];
        };
      };
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  createUser: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['NewUser'];
      };
    };
    responses: {
      /** @description The new user. */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationFailed'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  changeUser: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The user's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UserChanges'];
      };
    };
    responses: {
      /** @description The user as changed. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
      413: components['responses']['PayloadTooLarge'];
      422: components['responses']['ValidationFailed'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  openFeed: {
    parameters: {
      query: {
        /** @description A ticket from `POST /api/ws-tickets` (one use, 30 s). */
        ticket: components['parameters']['WsTicket'];
        /** @description The browser tab. */
        sessionId: components['parameters']['WsSessionId'];
      };
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      101: components['responses']['SwitchingProtocols'];
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  openRoom: {
    parameters: {
      query: {
        /** @description A ticket from `POST /api/ws-tickets` (one use, 30 s). */
        ticket: components['parameters']['WsTicket'];
        /** @description The browser tab. */
        sessionId: components['parameters']['WsSessionId'];
      };
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path: {
        /** @description The appointment's id. */
        id: components['parameters']['AppointmentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      101: components['responses']['SwitchingProtocols'];
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthenticated'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  getOpenApi: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The OpenAPI document the server was built with (docs/openapi.yaml). */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            openapi: '3.1.0';
            info: Record<string, never>;
            paths: Record<string, never>;
          };
        };
      };
      500: components['responses']['Internal'];
    };
  };
  getHealth: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Alive. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready. */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Ready'];
        };
      };
      500: components['responses']['Internal'];
      503: components['responses']['Unavailable'];
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description An id for this request (a proxy's or a client's trace id), logged and returned. One header
         *     of 1–128 characters of `A–Z a–z 0–9 - _ . : / + =`; when it is missing, repeated or
         *     anything else, the server makes one and ignores the header.
         */
        'X-Request-Id'?: components['parameters']['RequestId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description Prometheus text format 0.0.4: HTTP requests and their durations, the process (CPU,
       *     memory, descriptors, threads, start time), the build, locks held and lock events by
       *     kind, WebSockets (open, rooms, dropped and their unsent frames), and every store
       *     call's duration and failures. Every family and label: docs/api.md, "Metrics".
       */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'text/plain; version=0.0.4; charset=utf-8': string;
        };
      };
      /** @description `FORBIDDEN`: `--metrics-allow` is given and the client is not in it. */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
}
