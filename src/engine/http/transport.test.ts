import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { failureTypeOf, NetworkError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { ApiClient } from './client.js';
import { CONNECT_TIMEOUT_MS, DeadlineExceeded, pooledTransport, type Transport, type TransportRequest, withDeadline } from './transport.js';

/**
 * The production transport against a real socket: a server that accepts the connection and then
 * goes silent (before the headers, or half-way through the body), one that trickles its answer a
 * byte at a time, a TLS handshake that never completes, a host name that does not resolve: none may
 * hang a sync, and the total deadline ends each by its limit.
 *
 * The socket is real, the clock is not: undici arms its connect, headers and body timeouts with the
 * global `setTimeout` (on a coarse tick of about half a second), which these tests fake for the whole
 * file. Fake time moves on only once the request has reached the server, so the timeout that fires
 * is the one under test, and a transport without read timeouts fails the test instead of hanging it.
 */
let server: Server;
let base: string;
const held: ServerResponse[] = [];
let onArrival: (() => void) | undefined;
/** Another origin, which answers with the Authorization header it got. */
let elsewhere: Server;
let elsewhereBase: string;
/** Accepts TCP connections and never says a word: a TLS handshake with it stalls. */
let mute: TcpServer;
let muteBase: string;
const muted: Socket[] = [];
/** Answers of the trickling route still open; `trickle` sends each of them one more byte. */
const trickling: ServerResponse[] = [];
/** Bytes the trickling route has sent. */
let trickled = 0;
/** The Accept-Encoding of each request to /coded/. */
const acceptedEncodings: unknown[] = [];
/** What /coded/ sends, encoded. */
const CODED_BODY = JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `Zoë ${i}` })) });
const CODERS: Record<string, (bytes: Buffer) => Buffer> = { gzip: gzipSync, 'x-gzip': gzipSync, deflate: deflateSync, br: brotliCompressSync };
/** Connections the server has accepted. */
let connections = 0;
/** In order: the requests the transport said it wrote, those that reached the server, those answered. */
const events: string[] = [];

/** Resolves when the next request has reached the server (and, for /half-body, got its first bytes). */
function nextArrival(): Promise<void> {
  return new Promise((resolve) => (onArrival = resolve));
}

/** One real turn of the event loop: socket events are delivered, fake timers stay put. */
const realTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Moves the fake clock on in steps, letting real I/O run between them, until `promise` settles or a
 * minute of fake time has passed: far beyond the limits below, so a request still pending then
 * would have hung. `elapsed` is the fake time it took, to a step.
 */
async function settleWithinAMinute<T>(
  promise: Promise<T>,
  everyStep?: () => Promise<void>,
): Promise<({ settled: true; value: T } | { settled: false }) & { elapsed: number }> {
  let outcome: { settled: true; value: T } | undefined;
  void promise.then((value) => (outcome = { settled: true, value }));
  let elapsed = 0;
  while (outcome === undefined && elapsed < 60_000) {
    await vi.advanceTimersByTimeAsync(250);
    elapsed += 250;
    await realTurn();
    await everyStep?.();
  }
  return { ...(outcome ?? { settled: false }), elapsed };
}

/** One byte more to every trickling answer (one byte every 250 ms of fake time, in `settleWithinAMinute`), delivered before the clock moves on. */
async function trickle(): Promise<void> {
  for (const response of trickling) {
    if (response.destroyed || response.writableEnded) continue;
    trickled++;
    await new Promise<void>((resolve) => response.write(' ', () => resolve()));
  }
  for (let turn = 0; turn < 3; turn++) await realTurn();
}

/** Resolves to what `promise` resolves or rejects with. */
const outcome = <T>(promise: Promise<T>): Promise<unknown> =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

beforeAll(async () => {
  // Once for the file: undici keeps one ticking timer for all its timeouts, created on first use.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  server = createServer((request, response) => {
    held.push(response);
    if (request.url?.startsWith('/answer') || request.url === '/moved') {
      events.push(`arrived ${request.url}`);
      // Answers once the whole request is in: /moved sends the client on to /answer.
      request.resume();
      request.on('end', () => {
        if (request.url === '/moved') response.writeHead(302, { location: '/answer?n=moved' });
        response.end('{}');
      });
    }
    if (request.url === '/half-body') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data": [');
    }
    if (request.url?.startsWith('/coded/')) {
      // The body encoded with the codings the path names, in that order; `?cut` drops its second half, `?empty` all of it.
      const [codings = '', cut] = decodeURIComponent(request.url.slice('/coded/'.length)).split('?');
      acceptedEncodings.push(request.headers['accept-encoding']);
      let body: Buffer = Buffer.from(CODED_BODY);
      for (const coding of codings.split(',').map((c) => c.trim())) body = CODERS[coding]?.(body) ?? body;
      if (cut === 'cut') body = body.subarray(0, Math.floor(body.length / 2));
      if (cut === 'empty') body = Buffer.alloc(0);
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': codings });
      response.end(body);
    }
    if (request.url === '/echo-authorization') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ authorization: request.headers.authorization ?? null }));
    }
    if (request.url === '/to-elsewhere' || request.url === '/to-here') {
      const to = request.url === '/to-here' ? base : elsewhereBase;
      response.writeHead(302, { location: `${to}/echo-authorization` });
      response.end();
    }
    if (request.url === '/utf8-header') {
      // The UTF-8 bytes of 日本 as the header's value.
      response.writeHead(200, { 'x-name': Buffer.from('日本').toString('latin1') });
      response.end('{}');
    }
    if (request.url === '/cut-off') {
      // Half an answer, then the connection closes.
      response.writeHead(200, { 'content-type': 'text/csv', 'content-length': '1000' });
      response.write('id,name\n1,a\n', () => response.destroy());
    }
    if (request.url === '/trickle') {
      // Headers and one byte now, then one byte at each call of `trickle`, for ever.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
      trickling.push(response);
    }
    // Otherwise: never answer.
    onArrival?.();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  elsewhere = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ authorization: request.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  // Another port: another origin.
  elsewhereBase = `http://127.0.0.1:${(elsewhere.address() as { port: number }).port}`;
  mute = createTcpServer((socket) => {
    muted.push(socket);
    onArrival?.();
  });
  await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  muteBase = `https://127.0.0.1:${(mute.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const response of held) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of muted) socket.destroy();
  await new Promise<void>((resolve) => mute.close(() => resolve()));
  elsewhere.closeAllConnections();
  await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
  vi.useRealTimers();
});

/** Hangs up on every held request first: closing the pool waits for the requests still running. */
async function shutDown(pooled: { close(): Promise<void> }): Promise<void> {
  for (const response of held) response.destroy();
  for (const socket of muted) socket.destroy();
  await pooled.close().catch(() => undefined);
}

/** The undici error behind a failed request or body read ("fetch failed" / "terminated" wrap it, as fetch's do). */
const errorCode = (error: unknown): unknown => (error instanceof TypeError ? (error.cause as { code?: unknown } | undefined)?.code : undefined);

describe('the pooled transport times out a silent server', () => {
  it('no headers: the request fails with a headers timeout', async () => {
    const pooled = pooledTransport({ timeoutMs: 300 });
    try {
      const arrived = nextArrival();
      const request = pooled.transport(`${base}/no-headers`, { method: 'GET', headers: {} }).then(
        () => 'answered',
        (error: unknown) => error,
      );
      await arrived;
      const outcome = await settleWithinAMinute(request);
      expect(outcome.settled, 'still pending after a minute').toBe(true);
      expect(errorCode(outcome.settled && outcome.value)).toBe('UND_ERR_HEADERS_TIMEOUT');
    } finally {
      await shutDown(pooled);
    }
  });

  it('half a body: reading the body fails with a body timeout', async () => {
    const pooled = pooledTransport({ timeoutMs: 300 });
    try {
      const arrived = nextArrival();
      const answer = pooled.transport(`${base}/half-body`, { method: 'GET', headers: {} });
      await arrived;
      // The headers are in: the answer has started, only its body stalls.
      const response = await answer;
      expect(response.status).toBe(200);
      const body = response.text().then(
        () => 'read to the end',
        (error: unknown) => error,
      );
      const outcome = await settleWithinAMinute(body);
      expect(outcome.settled, 'still pending after a minute').toBe(true);
      expect(errorCode(outcome.settled && outcome.value)).toBe('UND_ERR_BODY_TIMEOUT');
    } finally {
      await shutDown(pooled);
    }
  });

  it('through the client, a timed-out request is a transient network error, not retried when no retry is allowed', async () => {
    const pooled = pooledTransport({ timeoutMs: 200 });
    const api = new ApiClient({
      name: 'Silent API',
      baseUrl: base,
      transport: pooled.transport,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 5_000 },
      rateLimit: { requestsPerSecond: 100 },
      logger: silentLogger,
    });
    const before = held.length;
    try {
      const arrived = nextArrival();
      const request = api.request({ path: '/no-headers' }).then(
        () => 'answered',
        (error: unknown) => error,
      );
      await arrived;
      const outcome = await settleWithinAMinute(request);
      expect(outcome.settled, 'still pending after a minute').toBe(true);
      const error = outcome.settled ? outcome.value : undefined;
      expect(error).toBeInstanceOf(NetworkError);
      expect(failureTypeOf(error)).toBe('transient_error');
    } finally {
      await api.close();
      await shutDown(pooled);
    }
    expect(held.length - before).toBe(1);
  });
});

describe('the total deadline ends what no idle timeout does', () => {
  const DEADLINE_MS = 2_000;

  it('a server that trickles its body a byte at a time: the idle timeout never fires, the deadline ends the body read with DeadlineExceeded', async () => {
    // Silences of a second would end the request; a byte comes every 250 ms, for ever.
    const pooled = pooledTransport({ timeoutMs: 1_000 });
    try {
      const arrived = nextArrival();
      const answer = withDeadline(pooled.transport, DEADLINE_MS)(`${base}/trickle`, { method: 'GET', headers: {} });
      await arrived;
      const response = await answer;
      expect(response.status).toBe(200);
      const result = await settleWithinAMinute(outcome(response.text()), trickle);
      expect(result.settled, 'still pending after a minute').toBe(true);
      expect(result.settled && result.value).toBeInstanceOf(DeadlineExceeded);
      expect(result.elapsed).toBeGreaterThanOrEqual(DEADLINE_MS);
      expect(result.elapsed).toBeLessThan(DEADLINE_MS + 500);
      // The server was sending all along.
      expect(trickled).toBeGreaterThanOrEqual(DEADLINE_MS / 250 - 1);
    } finally {
      await shutDown(pooled);
    }
  });

  it('a server that trickles, through the client: retried, then a transient NetworkError naming the deadline', async () => {
    const pooled = pooledTransport({ timeoutMs: 1_000 });
    const api = new ApiClient({
      name: 'Trickling API',
      baseUrl: base,
      transport: withDeadline(pooled.transport, DEADLINE_MS),
      retry: { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 100, maxElapsedMs: 60_000 },
      rateLimit: { requestsPerSecond: 100 },
      logger: silentLogger,
    });
    const before = held.length;
    try {
      const result = await settleWithinAMinute(outcome(api.request({ path: '/trickle' })), trickle);
      expect(result.settled, 'still pending after a minute').toBe(true);
      const error = result.settled ? result.value : undefined;
      expect(error).toBeInstanceOf(NetworkError);
      expect(failureTypeOf(error)).toBe('transient_error');
      expect((error as Error).message).toBe('GET /trickle failed after 2 attempt(s): no complete answer within 2 s');
      expect(result.elapsed).toBeLessThan(2 * DEADLINE_MS + 1_000);
    } finally {
      await api.close();
      await shutDown(pooled);
    }
    expect(held.length - before).toBe(2);
  });

  it('a server that accepts the request and never answers: DeadlineExceeded at the deadline, long before the headers timeout', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    try {
      const arrived = nextArrival();
      const request = outcome(withDeadline(pooled.transport, DEADLINE_MS)(`${base}/no-headers`, { method: 'GET', headers: {} }));
      await arrived;
      const result = await settleWithinAMinute(request);
      expect(result.settled, 'still pending after a minute').toBe(true);
      expect(result.settled && result.value).toBeInstanceOf(DeadlineExceeded);
      expect(result.elapsed).toBeLessThan(DEADLINE_MS + 500);
    } finally {
      await shutDown(pooled);
    }
  });

  it('a TLS handshake that stalls: DeadlineExceeded at the deadline; without one, the connect timeout (30 s at most)', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    try {
      let arrived = nextArrival();
      const deadlined = outcome(withDeadline(pooled.transport, DEADLINE_MS)(`${muteBase}/things`, { method: 'GET', headers: {} }));
      await arrived;
      const first = await settleWithinAMinute(deadlined);
      expect(first.settled && first.value).toBeInstanceOf(DeadlineExceeded);
      expect(first.elapsed).toBeLessThan(DEADLINE_MS + 500);

      arrived = nextArrival();
      const bare = outcome(pooled.transport(`${muteBase}/things`, { method: 'GET', headers: {} }));
      await arrived;
      const second = await settleWithinAMinute(bare);
      expect(second.settled, 'still pending after a minute').toBe(true);
      expect(errorCode(second.settled && second.value)).toBe('UND_ERR_CONNECT_TIMEOUT');
      expect(second.elapsed).toBeLessThanOrEqual(CONNECT_TIMEOUT_MS + 1_500);
    } finally {
      await shutDown(pooled);
    }
  });

  it('a host name that does not resolve (.invalid): one retry, then a NetworkError that names the host', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    let firstFailure: () => void = () => undefined;
    const failed = new Promise<void>((resolve) => (firstFailure = resolve));
    const api = new ApiClient({
      name: 'Nowhere API',
      baseUrl: 'http://leapsome.invalid/v1',
      transport: withDeadline(pooled.transport, DEADLINE_MS),
      retry: { maxRetries: 8, baseDelayMs: 1_000, maxDelayMs: 60_000, maxElapsedMs: 600_000 },
      rateLimit: { requestsPerSecond: 100 },
      logger: { ...silentLogger, info: () => firstFailure() },
    });
    try {
      const request = outcome(api.request({ path: '/employees' }));
      // The look-up is real: wait for it, then let the one backoff (a second at most) pass.
      await failed;
      await vi.advanceTimersByTimeAsync(1_000);
      const error = await request;
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).toBe('GET /v1/employees failed after 2 attempt(s): ENOTFOUND: the host name leapsome.invalid does not resolve');
    } finally {
      await api.close();
      await shutDown(pooled);
    }
  });
});

describe('the pooled transport says when it has written a request', () => {
  /** Sends to `path` on `transport`, logging when the transport says it wrote the request and when the answer was read. */
  async function send(transport: Transport, path: string, init: Partial<TransportRequest> = {}): Promise<void> {
    const response = await transport(`${base}${path}`, { method: 'GET', headers: {}, ...init, onSent: () => events.push(`sent ${path}`) });
    await response.text();
    events.push(`answered ${path}`);
  }

  /** What happened to the request to `path`, in order. */
  const story = (path: string) => events.filter((event) => event.endsWith(` ${path}`)).map((event) => event.split(' ')[0]);

  it('once per request, before the server has it: on new connections, on kept-alive ones, through a deadline, with a body', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    const before = connections;
    try {
      // Two at once on a new pool: each opens a connection first.
      await Promise.all([send(pooled.transport, '/answer?n=1'), send(pooled.transport, '/answer?n=2')]);
      expect(connections - before).toBe(2);
      await send(withDeadline(pooled.transport, 60_000), '/answer?n=3');
      await send(pooled.transport, '/answer?n=4', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token": "please"}' });
      expect(connections - before).toBe(2);
    } finally {
      await shutDown(pooled);
    }
    for (const n of [1, 2, 3]) expect(story(`/answer?n=${n}`), `request ${n}`).toEqual(['sent', 'arrived', 'answered']);
    // A body is written after the headers the server may have read already: only once it is all out is the request sent.
    expect(story('/answer?n=4').filter((event) => event !== 'arrived')).toEqual(['sent', 'answered']);
    expect(story('/answer?n=4')).toContain('arrived');
  });

  it('for the request it was given, not again for a redirect it follows', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    try {
      await send(pooled.transport, '/moved');
    } finally {
      await shutDown(pooled);
    }
    expect(story('/moved')).toEqual(['sent', 'arrived', 'answered']);
    expect(story('/answer?n=moved')).toEqual(['arrived']);
  });

  it('never for a request that failed before it was written: a TLS handshake that stalls', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    let sent = 0;
    try {
      const arrived = nextArrival();
      const request = outcome(withDeadline(pooled.transport, 2_000)(`${muteBase}/things`, { method: 'GET', headers: {}, onSent: () => sent++ }));
      await arrived;
      const result = await settleWithinAMinute(request);
      expect(result.settled && result.value).toBeInstanceOf(DeadlineExceeded);
    } finally {
      await shutDown(pooled);
    }
    expect(sent).toBe(0);
  });
});

describe('the pooled transport answers as fetch does', () => {
  it('follows a redirect with the credentials to the same origin, and without them to another', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    const authorizationAfter = async (path: string) => {
      const response = await pooled.transport(`${base}${path}`, { method: 'GET', headers: { authorization: 'Bearer secret' } });
      return (JSON.parse(await response.text()) as { authorization: unknown }).authorization;
    };
    try {
      expect(await authorizationAfter('/to-here')).toBe('Bearer secret');
      expect(await authorizationAfter('/to-elsewhere')).toBeNull();
    } finally {
      await shutDown(pooled);
    }
  });

  it('reads a header whose value is not Latin-1 as fetch does, byte by byte, rather than failing', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    try {
      const response = await pooled.transport(`${base}/utf8-header`, { method: 'GET', headers: {} });
      expect(response.headers.get('x-name')).toBe(Buffer.from('日本').toString('latin1'));
      expect(await response.text()).toBe('{}');
    } finally {
      await shutDown(pooled);
    }
  });
});

describe('the pooled transport stops when told to, at once', () => {
  it('a signal aborted before the call: rejects with its reason, without waiting for a connection (here a TLS handshake that stalls)', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    try {
      const stopped = new Error('stopped before it started');
      const request = outcome(pooled.transport(`${muteBase}/things`, { method: 'GET', headers: {}, signal: AbortSignal.abort(stopped) }));
      const result = await settleWithinAMinute(request);
      expect(result.settled && result.value).toBe(stopped);
      // A step or a few of the fake clock (socket events come in real time), far below the 30 s and 60 s timeouts.
      expect(result.elapsed).toBeLessThan(5_000);
    } finally {
      await shutDown(pooled);
    }
  });

  it('a body cancelled half-way: its connection is closed at once, not left to the idle timeout', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    try {
      const arrived = nextArrival();
      const answer = pooled.transport(`${base}/trickle`, { method: 'GET', headers: {} });
      await arrived;
      const served = trickling.at(-1) as ServerResponse;
      const closed = new Promise<void>((resolve) => served.once('close', () => resolve()));
      const reader = ((await answer).body as ReadableStream<Uint8Array>).getReader();
      // The first byte; the stream then waits for the next, which comes only with `trickle`.
      expect(Buffer.from((await reader.read()).value ?? []).toString()).toBe('[');
      const result = await settleWithinAMinute(reader.cancel().then(() => closed));
      expect(result.settled, 'still open after a minute').toBe(true);
      // A step or a few of the fake clock (socket events come in real time), far below the 30 s and 60 s timeouts.
      expect(result.elapsed).toBeLessThan(5_000);
    } finally {
      await shutDown(pooled);
    }
  });
});

describe('the pooled transport fails as fetch does', () => {
  it('a body cut off half-way, read as a stream: a TypeError "terminated" caused by the socket error, which a report download retries', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    try {
      const response = await pooled.transport(`${base}/cut-off`, { method: 'GET', headers: {} });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const read = async () => {
        for (;;) if ((await reader.read()).done) return 'read to the end';
      };
      const failed = await outcome(read());
      expect(failed).toBeInstanceOf(TypeError);
      expect((failed as Error).message).toBe('terminated');
      expect(errorCode(failed)).toBe('UND_ERR_SOCKET');
    } finally {
      await shutDown(pooled);
    }
  });
});

describe('the pooled transport decodes compressed bodies, as fetch does', () => {
  it('asks for gzip, deflate and br, and decodes each, and two at once, read whole or as a stream', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    const before = acceptedEncodings.length;
    try {
      for (const codings of ['gzip', 'x-gzip', 'deflate', 'br', 'gzip, br', 'identity', 'gzip, gzip, gzip, gzip, gzip']) {
        const response = await pooled.transport(`${base}/coded/${encodeURIComponent(codings)}`, { method: 'GET', headers: {} });
        expect(await response.text(), codings).toBe(CODED_BODY);
      }
      const streamed = await pooled.transport(`${base}/coded/gzip`, { method: 'GET', headers: {} });
      const chunks: Uint8Array[] = [];
      for (const reader = (streamed.body as ReadableStream<Uint8Array>).getReader(); ; ) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
      }
      expect(Buffer.concat(chunks).toString('utf8')).toBe(CODED_BODY);
    } finally {
      await shutDown(pooled);
    }
    expect(acceptedEncodings.slice(before)).toEqual(Array(8).fill('gzip, br'));
  });

  it('leaves a body whose coding it does not know as it came; decodes an empty body to nothing and one cut short to what came; refuses six codings', async () => {
    const pooled = pooledTransport({ timeoutMs: 60_000 });
    const get = (path: string) => pooled.transport(`${base}${path}`, { method: 'GET', headers: {} });
    try {
      expect(await (await get('/coded/compress')).text()).toBe(CODED_BODY);
      expect(await (await get(`/coded/${encodeURIComponent('gzip?empty')}`)).text()).toBe('');
      expect(await (await get(`/coded/${encodeURIComponent('br?empty')}`)).text()).toBe('');
      // A page cut short does not parse: the client asks for it again.
      const cut = await (await get(`/coded/${encodeURIComponent('gzip?cut')}`)).text();
      expect(CODED_BODY.startsWith(cut) && cut.length < CODED_BODY.length && cut.length > 0).toBe(true);
      const six = await outcome(get(`/coded/${encodeURIComponent('gzip, gzip, gzip, gzip, gzip, gzip')}`));
      expect(six).toBeInstanceOf(TypeError);
      expect(((six as Error).cause as Error).message).toBe('6 content codings, more than 5');
    } finally {
      await shutDown(pooled);
    }
  });
});
