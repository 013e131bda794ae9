// libchan.js: the browser client of libchan (Go-style channels over the network), no build step,
// no dependencies. It speaks the `libchan.json` WebSocket framing (PROTOCOL.md section 13.4) and the
// HTTP/1.1 fallback (section 13.6) for when WebSocket is blocked.
//
//   import { connect, call } from './libchan.js';
//   const session = await connect('wss://shop.example/app/api/libchan/ws');
//   const orders = session.open('orders');              // a top-level channel: a Sender
//                                                        // (or open('orders', { traceparent }) to join a trace)
//   const ret = session.replyChannel();                  // the peer gets a Sender, we read a Receiver
//   await orders.send({ item: 'tea', ret });
//   const reply = await ret.receive();                   // or: for await (const m of ret) …
//
// Values JSON cannot express use the JSON forms of PROTOCOL.md section 11: Uint8Array <-> {"$bin"},
// Date <-> {"$time"}, channels <-> {"$sender"} / {"$receiver"}, byte streams <-> {"$stream"}.
// Integers past 2^53 lose precision, as everywhere in JavaScript.

const SUBPROTOCOL = 'libchan.json';
/** Messages a writer may send on a channel beyond its credit (13.4.3). */
const CHANNEL_WINDOW = 64;
/** A reader returns credit in batches of this many messages. */
const CREDIT_BATCH = 32;
/** Bytes a writer may send on a byte stream beyond its credit. */
const STREAM_WINDOW = 256 * 1024;
/** The largest data frame we write, in bytes. */
const DATA_CHUNK = 32 * 1024;

/** A failure: `type` is the error reply's type, a protocol word ('end', 'closed', 'connection-lost',
 * 'protocol') or, for an HTTP refusal, the body's type; `status` the HTTP status, if any. */
export class LibchanError extends Error {
  constructor(type, message, status) {
    super(message);
    this.name = 'LibchanError';
    this.type = type;
    this.status = status;
  }
}

/** Thrown by `receive()` once the sender closed the channel: an end, not a failure. */
export class EndOfChannel extends LibchanError {
  constructor() {
    super('end', 'end of channel');
    this.name = 'EndOfChannel';
  }
}

// ------------------------------------------------------------------ base64, values

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    bytes[i] = s.charCodeAt(i);
  }
  return bytes;
}

/** RFC 3339 with up to 9 fraction digits -> Date (milliseconds kept). */
function parseTime(text) {
  return new Date(String(text).replace(/(\.\d{3})\d+/, '$1'));
}

function isForm(value, key) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && key in value
    && Object.keys(value).filter((k) => k.startsWith('$')).length === 1;
}

/** Encodes a message for the wire; `onRef(handle)` turns a channel handle into its JSON form. */
function encodeValue(value, onRef, depth = 0) {
  if (depth > 64) {
    throw new LibchanError('protocol', 'message nested too deeply');
  }
  if (value === undefined || value === null || typeof value !== 'object') {
    return value === undefined ? null : value;
  }
  if (value instanceof Uint8Array) {
    return { $bin: toBase64(value) };
  }
  if (value instanceof ArrayBuffer) {
    return { $bin: toBase64(new Uint8Array(value)) };
  }
  if (value instanceof Date) {
    return { $time: value.toISOString() };
  }
  if (value instanceof Sender || value instanceof Receiver || value instanceof ByteStream) {
    return onRef(value);
  }
  if (Array.isArray(value)) {
    return value.map((v) => encodeValue(v, onRef, depth + 1));
  }
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = encodeValue(v, onRef, depth + 1);
  }
  return out;
}

/** Decodes a received message; `onRef(kind, id, mode)` makes our end of a channel the peer named. */
function decodeValue(value, onRef) {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => decodeValue(v, onRef));
  }
  if (isForm(value, '$bin')) {
    return fromBase64(value.$bin);
  }
  if (isForm(value, '$time')) {
    return parseTime(value.$time);
  }
  for (const kind of ['$sender', '$receiver', '$stream']) {
    if (isForm(value, kind) && typeof value[kind] === 'number') {
      return onRef(kind, value[kind], value.mode);
    }
  }
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = decodeValue(v, onRef);
  }
  return out;
}

// ------------------------------------------------------------------ channels

/**
 * The reading end of a channel. Read with `await receive()` (throws EndOfChannel at the end), with
 * `for await (const m of receiver)`, or by setting `onmessage` (and `onend`, `onerror`). Credit goes
 * back to the writer as messages are taken, so an unread channel stalls only its own writer.
 * `close()` tells the writer to stop.
 */
export class Receiver {
  constructor(session, id, name) {
    this._session = session; // null for the channels of an HTTP event stream
    this.id = id;
    this.name = name ?? null;
    this._queue = [];
    this._waiters = [];
    this._end = null; // EndOfChannel or LibchanError once ended
    this._received = 0; // messages from the writer
    this._credited = 0; // credit returned to it
    this._pending = 0; // taken, not yet credited
    this._handler = null;
    this.onend = null;
    this.onerror = null;
    this._local = false; // made by replyChannel(), not yet sent
  }

  /** Every message goes to `fn` as it arrives; set before messages pile up, or they are replayed to it. */
  set onmessage(fn) {
    this._handler = fn;
    while (fn && this._queue.length) {
      this._deliver(this._queue.shift());
    }
    if (fn && this._end) {
      this._announceEnd();
    }
  }

  get onmessage() {
    return this._handler;
  }

  /** The next message; throws EndOfChannel once the writer closed, LibchanError if the channel failed. */
  receive() {
    if (this._queue.length) {
      const m = this._queue.shift();
      this._taken();
      return Promise.resolve(m);
    }
    if (this._end) {
      return Promise.reject(this._end);
    }
    return new Promise((resolve, reject) => this._waiters.push({ resolve, reject }));
  }

  [Symbol.asyncIterator]() {
    return {
      next: () => this.receive().then((value) => ({ value, done: false }),
        (e) => { if (e instanceof EndOfChannel) { return { value: undefined, done: true }; } throw e; }),
      return: () => { this.close(); return Promise.resolve({ value: undefined, done: true }); },
    };
  }

  /** Stops reading: the writer's later sends fail. */
  close() {
    if (this._end) {
      return;
    }
    this._finish(new LibchanError('closed', 'the receiver closed the channel'));
    if (this._session) {
      this._session._sendFrame({ op: 'cancel', id: this.id, reason: 'the receiver closed the channel' });
      this._session._retire(this.id);
    }
  }

  _push(message) {
    if (this._end) {
      return;
    }
    if (this._session && this._received - this._credited >= CHANNEL_WINDOW) {
      this._session._protocolError('the server sent past its credit on channel ' + this.id);
      return;
    }
    this._received++;
    if (this._handler) {
      this._deliver(message);
    } else if (this._waiters.length) {
      this._waiters.shift().resolve(message);
      this._taken();
    } else {
      this._queue.push(message);
    }
  }

  _deliver(message) {
    this._taken();
    try {
      this._handler(message);
    } catch (e) {
      console.error('libchan: onmessage threw', e);
    }
  }

  _taken() {
    if (!this._session) {
      return;
    }
    if (++this._pending >= CREDIT_BATCH && !this._end) {
      this._session._sendFrame({ op: 'credit', id: this.id, n: this._pending });
      this._credited += this._pending;
      this._pending = 0;
    }
  }

  /** The writer is done (error null) or the channel failed. */
  _finish(error) {
    if (this._end) {
      return;
    }
    this._end = error || new EndOfChannel();
    for (const w of this._waiters.splice(0)) {
      w.reject(this._end);
    }
    this._announceEnd();
  }

  _announceEnd() {
    if (!this._handler || this._queue.length) {
      return;
    }
    const handler = this._end instanceof EndOfChannel ? this.onend : this.onerror;
    if (handler) {
      try {
        handler(this._end instanceof EndOfChannel ? undefined : this._end);
      } catch (e) {
        console.error('libchan: handler threw', e);
      }
    }
  }
}

/**
 * The writing end of a channel: `await send(message)` (it waits when the reader is 64 messages behind),
 * `close()` when done. Sends on one Sender go out in order.
 */
export class Sender {
  constructor(session, id, started) {
    this._session = session;
    this.id = id;
    this._credit = CHANNEL_WINDOW;
    this._creditWaiter = null;
    this._failure = null;
    this._closed = false;
    this._local = !started; // made by channel(), not yet sent in a message
    this._started = started ? Promise.resolve() : new Promise((resolve) => { this._start = resolve; });
    this._chain = Promise.resolve();
  }

  /** Sends one message; resolves once it is written to the connection. */
  send(message) {
    if (this._closed) {
      return Promise.reject(new LibchanError('closed', 'send on a closed channel'));
    }
    const run = this._chain.then(() => this._sendNow(message));
    this._chain = run.catch(() => {});
    return run;
  }

  async _sendNow(message) {
    await this._started;
    while (!this._failure && this._credit <= 0) {
      await new Promise((resolve) => { this._creditWaiter = resolve; });
    }
    if (this._failure) {
      throw this._failure;
    }
    this._session._checkOpen();
    const started = [];
    const msg = this._session._encode(message, started);
    this._credit--;
    this._session._sendFrame({ op: 'msg', id: this.id, msg });
    started.forEach((start) => start());
  }

  /** Ends the channel: the reader gets every message sent before, then the end. */
  close() {
    if (this._closed) {
      return this._chain;
    }
    this._closed = true;
    this._chain = this._chain.then(async () => {
      await this._started;
      if (!this._failure) {
        this._session._sendFrame({ op: 'close', id: this.id });
      }
      this._session._retire(this.id);
    });
    return this._chain;
  }

  _onCredit(n) {
    this._credit += n;
    if (this._creditWaiter) {
      this._creditWaiter();
      this._creditWaiter = null;
    }
  }

  _fail(error) {
    if (!this._failure) {
      this._failure = error;
    }
    this._onCredit(0);
  }
}

/**
 * A byte stream a peer put in a message: read with `for await (const chunk of stream)` or `onData`,
 * write with `await write(bytes)`, `close()` to end our direction.
 */
export class ByteStream {
  constructor(session, id, mode) {
    this._session = session;
    this.id = id;
    this._in = new Receiver(null, id);
    this._credit = STREAM_WINDOW;
    this._creditWaiter = null;
    this._closed = false;
    this._remoteDone = false;
    this._failure = null;
    if (mode === 'read') {
      this.close(); // we only read
    }
    if (mode === 'write') {
      this._remoteEnded(); // we only write
    }
  }

  [Symbol.asyncIterator]() {
    return this._in[Symbol.asyncIterator]();
  }

  /** The next chunk (Uint8Array); throws EndOfChannel at the end of the peer's direction. */
  read() {
    const p = this._in.receive();
    return p.then((chunk) => {
      this._session._sendFrame({ op: 'credit', id: this.id, n: chunk.length });
      return chunk;
    });
  }

  set onData(fn) {
    this._in.onmessage = (chunk) => {
      this._session._sendFrame({ op: 'credit', id: this.id, n: chunk.length });
      fn(chunk);
    };
  }

  async write(bytes) {
    const data = bytes instanceof Uint8Array ? bytes : new TextEncoder().encode(String(bytes));
    for (let off = 0; off < data.length;) {
      while (!this._failure && this._credit <= 0) {
        await new Promise((resolve) => { this._creditWaiter = resolve; });
      }
      if (this._failure || this._closed) {
        throw this._failure || new LibchanError('closed', 'write on a closed byte stream');
      }
      const n = Math.min(this._credit, DATA_CHUNK, data.length - off);
      this._session._sendFrame({ op: 'data', id: this.id, b64: toBase64(data.subarray(off, off + n)) });
      this._credit -= n;
      off += n;
    }
  }

  /** Ends our direction; the peer's goes on until it closes it. */
  close() {
    if (!this._closed) {
      this._closed = true;
      this._session._sendFrame({ op: 'close', id: this.id });
      this._maybeRetire();
    }
  }

  _remoteEnded() {
    this._remoteDone = true;
    this._in._finish(null);
    this._maybeRetire();
  }

  _maybeRetire() {
    if (this._closed && this._remoteDone) {
      this._session._retire(this.id);
    }
  }

  _onCredit(n) {
    this._credit += n;
    if (this._creditWaiter) {
      this._creditWaiter();
      this._creditWaiter = null;
    }
  }

  _fail(error) {
    this._failure = this._failure || error;
    this._in._finish(error);
    this._onCredit(0);
  }
}

// ------------------------------------------------------------------ the session

/**
 * One libchan session over a `libchan.json` WebSocket. Lifecycle: open until `close()` (sends goaway:
 * the server closes the WebSocket once every channel has ended) or until the connection drops (every
 * open channel fails with a LibchanError of type 'connection-lost'). `onclose` is called once, at the end.
 */
export class Session {
  constructor(ws) {
    this._ws = ws;
    this._nextId = 1; // the client uses odd ids
    this._channels = new Map();
    this._incoming = new Receiver(null, 0);
    this._failure = null;
    this._goingAway = false;
    this.onclose = null;
    ws.onmessage = (e) => this._onFrame(e.data);
    ws.onclose = (e) => this._onClose(e);
  }

  /**
   * Opens a top-level channel to the server's endpoint `name` (or its default one); returns its Sender.
   * `options.traceparent` (and `options.tracestate`), W3C Trace Context values, travel in the open
   * frame: the server serves the channel in that trace (PROTOCOL.md 13.4.1).
   */
  open(name, options = {}) {
    this._checkOpen();
    const id = this._newId();
    const sender = new Sender(this, id, true);
    this._channels.set(id, sender);
    const frame = name == null ? { op: 'open', id } : { op: 'open', id, name };
    if (options.traceparent != null) {
      frame.traceparent = String(options.traceparent);
      if (options.tracestate != null) {
        frame.tracestate = String(options.tracestate);
      }
    }
    this._sendFrame(frame);
    return sender;
  }

  /**
   * A reply channel to put in a message (as `ret`): the peer gets a Sender, and what it sends is read
   * from the returned Receiver.
   */
  replyChannel() {
    const r = new Receiver(this, this._newId());
    r._local = true;
    return r;
  }

  /** A channel to put in a message: the peer gets a Receiver, and reads what is sent on the returned Sender. */
  channel() {
    return new Sender(this, this._newId(), false);
  }

  /** The next top-level channel the server opens (resolves to a Receiver). */
  accept() {
    return this._incoming.receive();
  }

  /** Graceful end: no new channels; the connection closes once every channel has ended. */
  close() {
    if (this._goingAway || this._failure) {
      return;
    }
    this._goingAway = true;
    this._sendFrame({ op: 'goaway' });
    if (this._channels.size === 0) {
      this._ws.close(1000);
    }
  }

  /** Drops the connection at once; every open channel fails. */
  abort() {
    this._end(new LibchanError('connection-lost', 'session aborted'));
    this._ws.close(1000);
  }

  get isOpen() {
    return !this._failure && !this._goingAway;
  }

  _newId() {
    const id = this._nextId;
    this._nextId += 2;
    return id;
  }

  _checkOpen() {
    if (this._failure) {
      throw this._failure;
    }
  }

  _sendFrame(frame) {
    if (this._failure || this._ws.readyState !== WebSocket.OPEN) {
      return;
    }
    this._ws.send(JSON.stringify(frame));
  }

  _retire(id) {
    this._channels.delete(id);
    if (this._goingAway && this._channels.size === 0 && this._ws.readyState === WebSocket.OPEN) {
      this._ws.close(1000);
    }
  }

  /** Encodes a message, registering the channels it creates; `started` gets what to run once it is sent. */
  _encode(message, started) {
    return encodeValue(message, (handle) => {
      if (handle._session !== this || !handle._local) {
        throw new LibchanError('protocol', 'only channels made by this session and not yet sent can be put in a message');
      }
      handle._local = false;
      this._channels.set(handle.id, handle);
      if (handle instanceof Sender) {
        started.push(() => handle._start());
        return { $receiver: handle.id };
      }
      return { $sender: handle.id };
    });
  }

  _decode(message) {
    return decodeValue(message, (kind, id, mode) => {
      if (id <= 0 || id % 2 !== 0 || this._channels.has(id)) {
        throw new LibchanError('protocol', 'bad reference id ' + id + ' from the server');
      }
      let made;
      if (kind === '$receiver') {
        made = new Receiver(this, id);
      } else if (kind === '$sender') {
        made = new Sender(this, id, true);
      } else {
        made = new ByteStream(this, id, mode);
      }
      this._channels.set(id, made);
      return made;
    });
  }

  _onFrame(text) {
    let f;
    try {
      f = JSON.parse(text);
    } catch (e) {
      this._protocolError('malformed frame');
      return;
    }
    const c = this._channels.get(f.id);
    try {
      switch (f.op) {
        case 'open': {
          if (f.id <= 0 || f.id % 2 !== 0 || c) {
            throw new LibchanError('protocol', 'bad channel id ' + f.id);
          }
          if (this._goingAway) {
            this._sendFrame({ op: 'cancel', id: f.id, reason: 'the client is going away' });
            break;
          }
          const r = new Receiver(this, f.id, f.name);
          this._channels.set(f.id, r);
          this._incoming._push(r);
          break;
        }
        case 'msg':
          if (c instanceof Receiver) {
            c._push(this._decode(f.msg));
          }
          break;
        case 'data':
          if (c instanceof ByteStream) {
            c._in._push(fromBase64(f.b64 || ''));
          }
          break;
        case 'close':
          if (c instanceof Receiver) {
            c._finish(null);
            this._retire(f.id);
          } else if (c instanceof ByteStream) {
            c._remoteEnded();
          }
          break;
        case 'cancel':
          if (c instanceof Sender || c instanceof ByteStream) {
            c._fail(new LibchanError('closed', 'the receiver closed the channel' + (f.reason ? ': ' + f.reason : '')));
            this._retire(f.id);
          }
          break;
        case 'credit':
          if (!(f.n > 0)) {
            throw new LibchanError('protocol', 'credit must be positive');
          }
          if (c instanceof Sender || c instanceof ByteStream) {
            c._onCredit(f.n);
          }
          break;
        case 'goaway':
          this._goingAway = true;
          this._incoming._finish(null);
          if (this._channels.size === 0) {
            this._ws.close(1000);
          }
          break;
        case 'error':
          this._end(new LibchanError('protocol', 'the server ended the session: ' + (f.message || '')));
          this._ws.close(1000);
          break;
        default:
          throw new LibchanError('protocol', "unknown frame op '" + f.op + "'");
      }
    } catch (e) {
      this._protocolError(e.message);
    }
  }

  _protocolError(message) {
    this._sendFrame({ op: 'error', message });
    this._end(new LibchanError('protocol', 'protocol error: ' + message));
    this._ws.close(1002);
  }

  _onClose(event) {
    const clean = this._goingAway && this._channels.size === 0;
    this._end(clean ? null : new LibchanError('connection-lost', 'the connection closed (code ' + event.code + ')'));
  }

  _end(error) {
    if (this._failure) {
      return;
    }
    this._failure = error || new LibchanError('closed', 'session closed');
    this._incoming._finish(error);
    for (const c of this._channels.values()) {
      if (c instanceof Receiver) {
        c._finish(this._failure);
      } else {
        c._fail(this._failure);
      }
    }
    this._channels.clear();
    if (this.onclose) {
      this.onclose(error || undefined);
    }
  }
}

/**
 * Connects to a libchan WebSocket (`ws://` or `wss://`, e.g. `wss://host/app/api/libchan/ws`); the
 * browser sends its cookies and cached credentials as for any request to that origin. Resolves to a
 * Session, or rejects with a LibchanError when the connection or the `libchan.json` subprotocol is refused.
 */
export function connect(url) {
  return new Promise((resolve, reject) => {
    let ws;
    try {
      ws = new WebSocket(url, [SUBPROTOCOL]);
    } catch (e) {
      reject(new LibchanError('connection-lost', 'bad WebSocket URL ' + url + ': ' + e.message));
      return;
    }
    ws.onopen = () => {
      if (ws.protocol !== SUBPROTOCOL) {
        ws.close(1002);
        reject(new LibchanError('protocol', 'the server did not select the libchan.json subprotocol'));
        return;
      }
      resolve(new Session(ws));
    };
    ws.onclose = (e) => reject(new LibchanError('connection-lost', 'could not connect to ' + url + ' (code ' + e.code + ')'));
  });
}

/** Resolves a path like `api/libchan/ws` against the page into a `ws:`/`wss:` URL. */
export function webSocketUrl(path) {
  const u = new URL(path, window.location.href);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.href;
}

// ------------------------------------------------------------------ the HTTP fallback

async function refusal(response) {
  let type = 'http-' + response.status;
  let message = response.statusText || 'HTTP ' + response.status;
  try {
    const body = await response.json();
    if (body && body.error) {
      type = body.error.type || type;
      message = body.error.message || message;
    }
  } catch (e) {
    // not an error-reply body
  }
  return new LibchanError(type, message, response.status);
}

/** Parses a Server-Sent Events body into (event, data) pairs. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '') {
        if (data.length) {
          onEvent(event, data.join('\n'));
        }
        event = 'message';
        data = [];
      } else if (line.startsWith('event:')) {
        event = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  }
}

/**
 * One call over the HTTP fallback: POSTs `message` (JSON forms allowed, no channels) to the call URL,
 * e.g. `api/libchan/call/orders`, and resolves to the reply (null when the endpoint answered nothing).
 * With `{ events: true }` it asks for the event stream instead and resolves to a Receiver of the
 * replies, whose messages may carry Receivers of their own (server-pushed events). An HTTP refusal
 * rejects with a LibchanError carrying the status and the error body's type; an endpoint's error reply
 * is an ordinary reply ({ error: { type, message } }).
 */
export async function call(url, message, options = {}) {
  const events = !!options.events;
  const body = JSON.stringify(encodeValue(message, () => {
    throw new LibchanError('bad-request', 'the HTTP fallback cannot carry channels or byte streams: use connect()');
  }));
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: events ? 'text/event-stream' : 'application/json', ...(options.headers || {}) },
    body,
    credentials: options.credentials || 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) {
    throw await refusal(response);
  }
  if (!events) {
    return response.status === 204 ? null : decodeValue(await response.json(), () => {
      throw new LibchanError('protocol', 'a JSON reply cannot carry channels');
    });
  }
  const channels = new Map([[0, new Receiver(null, 0)]]);
  const channel = (n) => {
    if (!channels.has(n)) {
      channels.set(n, new Receiver(null, n));
    }
    return channels.get(n);
  };
  readEvents(response.body, (event, data) => {
    const e = JSON.parse(data);
    const c = channel(e.channel);
    if (event === 'message') {
      c._push(decodeValue(e.message, (kind, id) => {
        if (kind !== '$receiver') {
          throw new LibchanError('protocol', 'an event stream carries Receivers only');
        }
        return channel(id);
      }));
    } else if (event === 'end') {
      c._finish(null);
    } else if (event === 'error') {
      c._finish(new LibchanError(e.error?.type || 'error', e.error?.message || ''));
    }
  }).then(() => {
    for (const c of channels.values()) {
      c._finish(new LibchanError('connection-lost', 'the event stream ended before the channel'));
    }
  }, (err) => {
    for (const c of channels.values()) {
      c._finish(new LibchanError('connection-lost', 'the event stream failed: ' + err.message));
    }
  });
  return channels.get(0);
}
