import type { ServerResponse } from 'node:http';
import type { Reply } from './http.js';
import type { FaultKind, FaultOptions, MountName } from './options.js';
import { hash32, unit } from './random.js';

export interface FaultDecision {
  kind: FaultKind;
  /** For '5xx': which status. */
  status: number;
  /** For 'truncate': end the response cleanly after the partial body, or destroy the socket. */
  cut: 'end' | 'destroy';
}

/**
 * Decides, per eligible request, whether to inject a fault. The decision for the k-th eligible
 * request depends only on (seed, k), so a run with the same request order sees the same faults.
 */
export class FaultPlanner {
  private eligible = 0;
  private injected = 0;

  constructor(
    private readonly seed: number,
    private options: FaultOptions,
  ) {}

  configure(options: FaultOptions): void {
    this.options = options;
    this.eligible = 0;
    this.injected = 0;
  }

  get config(): FaultOptions {
    return this.options;
  }

  decide(mount: MountName): FaultDecision | undefined {
    const o = this.options;
    if (o.mounts && !o.mounts.includes(mount)) return undefined;
    const k = this.eligible++;
    if (o.maxFaults !== undefined && this.injected >= o.maxFaults) return undefined;
    let kind: FaultKind | undefined;
    if (k < (o.failFirst ?? 0)) {
      kind = o.failFirstKind ?? '5xx';
    } else if (k >= (o.after ?? 0)) {
      const roll = unit(this.seed, 'fault', k);
      let edge = 0;
      for (const [candidate, share] of [
        ['429', o.rate429],
        ['5xx', o.error5xx],
        ['drop', o.drop],
        ['truncate', o.truncate],
      ] as const) {
        edge += share ?? 0;
        if (roll < edge) {
          kind = candidate;
          break;
        }
      }
    }
    if (!kind) return undefined;
    this.injected++;
    const h = hash32(this.seed, 'fault-detail', k);
    return { kind, status: [500, 502, 503][h % 3] as number, cut: h % 2 === 0 ? 'destroy' : 'end' };
  }
}

/** What a load balancer in front of the API answers on 502/503: HTML, not the API's JSON. */
export function gatewayError(status: 502 | 503): Reply {
  const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
  return {
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
  };
}

/**
 * Sends part of the body. 'destroy' declares the full Content-Length and then kills the socket
 * (the client sees a premature close); 'end' sends a chunked body that simply stops part-way (the
 * client sees a complete response whose JSON does not parse).
 */
export function writeTruncated(res: ServerResponse, reply: Reply, cut: 'end' | 'destroy'): void {
  const body = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, 'utf8');
  const part = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
  if (cut === 'destroy') {
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
    res.write(part, () => res.destroy());
  } else {
    res.writeHead(reply.status, reply.headers);
    res.end(part);
  }
}
