/**
 * Every request the sandbox (in this process) receives, from Node's own HTTP server diagnostics
 * channels: when it arrived, when its response finished, its status, and what the floor needs to
 * replay it. Nothing in the sandbox changes; the channels are synchronous, so no request is missed.
 * Control calls (`/_sandbox/…`) are left out, as the sandbox's own stats leave them out.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { LoggedRequest } from './figures.js';

const START = 'http.server.request.start';
const FINISH = 'http.server.response.finish';

interface ChannelMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
}

export class RequestLog {
  /** In order of arrival. */
  readonly entries: LoggedRequest[] = [];
  /** Distinct Authorization headers, '' (none) first; entries point into it. */
  readonly auths: string[] = [''];
  private readonly authIndex = new Map<string, number>([['', 0]]);
  private readonly open = new WeakMap<IncomingMessage, LoggedRequest>();

  /** Logs the requests that reach 127.0.0.1:`port` from now until `stop()`. */
  constructor(private readonly port: number) {
    subscribe(START, this.onStart);
    subscribe(FINISH, this.onFinish);
  }

  stop(): void {
    unsubscribe(START, this.onStart);
    unsubscribe(FINISH, this.onFinish);
  }

  private readonly onStart = (message: unknown): void => {
    const { request, socket } = message as ChannelMessage;
    const url = request.url ?? '/';
    if (socket.localPort !== this.port || url === '/_sandbox' || url.startsWith('/_sandbox/')) return;
    const authorization = request.headers.authorization ?? '';
    let auth = this.authIndex.get(authorization);
    if (auth === undefined) {
      auth = this.auths.push(authorization) - 1;
      this.authIndex.set(authorization, auth);
    }
    const entry: LoggedRequest = { method: request.method ?? 'GET', url, auth, start: Date.now(), end: undefined, status: 0 };
    this.entries.push(entry);
    this.open.set(request, entry);
  };

  private readonly onFinish = (message: unknown): void => {
    const { request, response } = message as ChannelMessage;
    const entry = this.open.get(request);
    if (!entry) return;
    entry.end = Date.now();
    entry.status = response.statusCode;
  };
}
