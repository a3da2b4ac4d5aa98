import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FaultPlanner, gatewayError, writeTruncated, type FaultDecision } from './faults.js';
import { json, type Reply, type RequestContext } from './http.js';
import type { ResolvedOptions } from './options.js';
import { RateLimiter } from './ratelimit.js';
import { hash32 } from './random.js';
import { arrived, record, type SandboxStats } from './stats.js';
import type { Mount } from './vendor.js';

const MAX_BODY = 1024 * 1024;

/** Handles `/_sandbox/*`; never faulted, never rate limited, never counted. */
export type ControlHandler = (method: string, path: string, query: URLSearchParams, body: string) => Reply | Promise<Reply>;

/**
 * The HTTP front: finds the mount, then applies, in order, the rate limit (on arrival, as the gateway
 * in front of an API does), latency and injected faults, before the vendor handler runs. Replies are
 * built in full first so a truncation fault can send only part of one.
 */
export class SandboxServer {
  readonly http: Server;
  readonly faults: FaultPlanner;
  private readonly limiter: RateLimiter;
  private readonly mounts: Mount[];
  private readonly sockets = new Set<Socket>();
  private latencyCounter = 0;

  constructor(
    mounts: Mount[],
    private readonly options: ResolvedOptions,
    readonly stats: SandboxStats,
    private readonly control: ControlHandler,
  ) {
    this.mounts = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
    this.faults = new FaultPlanner(options.seed, options.faults);
    this.limiter = new RateLimiter(options.rateLimits.window);
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error('sandbox: unhandled error', error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal sandbox error');
      });
    });
    this.http.keepAliveTimeout = 5000;
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', reject);
        const address = this.http.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  resetRateLimits(): void {
    this.limiter.reset();
    for (const mount of this.mounts) mount.gateway?.reset();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
    const query = new URLSearchParams(rawQuery);
    const method = req.method ?? 'GET';

    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
      const body = await readBody(req);
      send(res, await this.control(method, path, query, body), method);
      return;
    }

    const mount = this.mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    if (!mount) {
      send(res, json(404, { error: 'Not Found', message: `No sandbox API is mounted at ${path}` }), method);
      return;
    }
    // A gateway counts a request when it arrives, whatever becomes of it: rejected ones too.
    const at = Date.now();
    arrived(this.stats, mount.name, at);
    const log = (status: number, fault?: FaultDecision['kind'] | 'rate-limit') =>
      record(this.stats, { method, url: rawUrl, mount: mount.name, status, ...(fault ? { fault } : {}), at });
    // An API with a gateway of its own counts there, and every response it lets out carries its headers.
    const verdict = mount.gateway?.admit(at);
    const reply = (r: Reply): Reply => (verdict ? { ...r, headers: { ...r.headers, ...verdict.headers } } : r);
    if (this.options.rateLimits.enforce && mount.rateLimited) {
      const limit = this.options.rateLimits.requestsPerSecond[mount.name];
      const wait = verdict ? verdict.retryAfterSeconds : limit === undefined ? undefined : this.limiter.check(mount.name, limit, at);
      if (wait !== undefined) {
        log(429, 'rate-limit');
        send(res, reply(this.tooMany(mount, wait)), method);
        return;
      }
    }

    await this.delay();
    const fault = this.faults.decide(mount.name);
    if (fault?.kind === 'drop') {
      log(0, 'drop');
      req.socket.destroy();
      return;
    }
    if (fault?.kind === '429' || fault?.kind === '5xx') {
      const failed = reply(fault.kind === '429' ? this.tooMany(mount, this.options.faults.retryAfterSeconds ?? 1) : this.serverError(mount, fault.status));
      log(failed.status, fault.kind);
      send(res, failed, method);
      return;
    }
    const body = await readBody(req);
    const ctx: RequestContext = {
      method,
      path: path.slice(mount.prefix.length) || '/',
      query,
      rawQuery,
      headers: req.headers,
      body,
      origin: `http://${req.headers.host ?? `127.0.0.1:${(this.http.address() as { port: number }).port}`}`,
      prefix: mount.prefix,
      now: this.options.now(),
      pageCap: this.options.pageCap,
    };
    let answer: Reply;
    try {
      answer = reply(await mount.handle(ctx));
    } catch (error) {
      console.error(`sandbox: ${mount.name} handler failed for ${method} ${rawUrl}`, error);
      answer = reply(mount.error(500, 'Internal Server Error'));
    }
    if (fault?.kind === 'truncate') {
      log(answer.status, 'truncate');
      writeTruncated(res, answer, fault.cut);
      return;
    }
    log(answer.status);
    send(res, answer, method);
  }

  private tooMany(mount: Mount, retryAfterSeconds: number): Reply {
    const reply = mount.error(429, 'Too Many Requests', retryAfterSeconds);
    return { ...reply, headers: { ...reply.headers, 'retry-after': String(retryAfterSeconds) } };
  }

  /** 500 comes from the application in its own error shape; 502/503 from the proxy in front of it. */
  private serverError(mount: Mount, status: number): Reply {
    return status === 500 ? mount.error(500, 'Internal Server Error') : gatewayError(status as 502 | 503);
  }

  private delay(): Promise<void> {
    const [min, max] = this.options.latencyMs;
    if (max <= 0) return Promise.resolve();
    const ms = min + (hash32(this.options.seed, 'latency', this.latencyCounter++) % (max - min + 1));
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function send(res: ServerResponse, reply: Reply, method: string): void {
  const body = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  res.end(method === 'HEAD' ? undefined : body);
}

function readBody(req: IncomingMessage): Promise<string> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
