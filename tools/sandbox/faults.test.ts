import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from './index.js';
import { getJson } from './testkit.js';
import { scimHeaders } from './leapsome/testkit.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await sb?.close();
  sb = undefined;
});

async function start(options: SandboxOptions): Promise<Sandbox> {
  sb = await startSandbox({ scale: 0.1, ...options });
  return sb;
}

type Outcome = { kind: 'ok' | 'status' | 'network' | 'bad-json'; status?: number; retryAfter?: string | null; contentType?: string | null };

/** One request to the unauthenticated Leapsome root, classified. */
async function hit(s: Sandbox): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(`${s.mounts.leapsome}/`);
  } catch {
    return { kind: 'network' };
  }
  let body: string;
  try {
    body = await res.text();
  } catch {
    return { kind: 'network', status: res.status };
  }
  if (res.status !== 200)
    return { kind: 'status', status: res.status, retryAfter: res.headers.get('retry-after'), contentType: res.headers.get('content-type') };
  try {
    JSON.parse(body);
    return { kind: 'ok' };
  } catch {
    return { kind: 'bad-json' };
  }
}

async function run(s: Sandbox, n: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < n; i++) out.push(await hit(s));
  return out;
}

const share = (outcomes: Outcome[], pred: (o: Outcome) => boolean) => outcomes.filter(pred).length / outcomes.length;

describe('fault injection', () => {
  it('answers 429 with the configured Retry-After at its share', async () => {
    const s = await start({ faults: { rate429: 0.3, retryAfterSeconds: 0 } });
    const outcomes = await run(s, 400);
    expect(share(outcomes, (o) => o.status === 429)).toBeGreaterThan(0.22);
    expect(share(outcomes, (o) => o.status === 429)).toBeLessThan(0.38);
    expect(outcomes.filter((o) => o.status === 429).every((o) => o.retryAfter === '0')).toBe(true);
    expect(s.stats.faults['429']).toBe(outcomes.filter((o) => o.status === 429).length);
  });

  it('answers 500, 502 and 503 at the 5xx share, gateways in HTML', async () => {
    const s = await start({ faults: { error5xx: 0.5 } });
    const outcomes = await run(s, 300);
    const errors = outcomes.filter((o) => o.kind === 'status');
    expect(errors.length / outcomes.length).toBeGreaterThan(0.4);
    expect(errors.length / outcomes.length).toBeLessThan(0.6);
    expect(new Set(errors.map((o) => o.status))).toEqual(new Set([500, 502, 503]));
    expect(errors.filter((o) => o.status === 502).every((o) => o.contentType === 'text/html')).toBe(true);
    expect(errors.filter((o) => o.status === 500).every((o) => String(o.contentType).startsWith('application/json'))).toBe(true);
  });

  it('drops connections at the drop share', async () => {
    const s = await start({ faults: { drop: 0.25 } });
    const outcomes = await run(s, 300);
    expect(share(outcomes, (o) => o.kind === 'network')).toBeGreaterThan(0.17);
    expect(share(outcomes, (o) => o.kind === 'network')).toBeLessThan(0.33);
    expect(share(outcomes, (o) => o.kind === 'ok')).toBeCloseTo(1 - share(outcomes, (o) => o.kind === 'network'), 5);
    expect(s.stats.byStatus['dropped']).toBe(s.stats.faults.drop);
  });

  it('truncates bodies at the truncate share, both by reset and by a clean short body', async () => {
    const s = await start({ faults: { truncate: 0.4 } });
    const outcomes = await run(s, 300);
    const broken = outcomes.filter((o) => o.kind === 'network' || o.kind === 'bad-json');
    expect(broken.length / outcomes.length).toBeGreaterThan(0.3);
    expect(broken.length / outcomes.length).toBeLessThan(0.5);
    expect(broken.some((o) => o.kind === 'network')).toBe(true);
    expect(broken.some((o) => o.kind === 'bad-json')).toBe(true);
  });

  it('fails exactly the first N requests, then recovers', async () => {
    const s = await start({ faults: { failFirst: 3, failFirstKind: '429' } });
    const outcomes = await run(s, 6);
    expect(outcomes.map((o) => o.status ?? 200)).toEqual([429, 429, 429, 200, 200, 200]);
  });

  it('honours after, maxFaults and mount restrictions', async () => {
    const s = await start({ faults: { error5xx: 1, after: 2, maxFaults: 3, mounts: ['leapsome'] } });
    const outcomes = await run(s, 7);
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'status', 'status', 'status', 'ok', 'ok']);
    s.setFaults({ error5xx: 1, mounts: ['pe365'] });
    expect((await hit(s)).kind).toBe('ok');
  });

  it('is deterministic for a seed', async () => {
    const a = await startSandbox({ scale: 0.1, seed: 9, faults: { error5xx: 0.3, rate429: 0.2 } });
    const b = await startSandbox({ scale: 0.1, seed: 9, faults: { error5xx: 0.3, rate429: 0.2 } });
    try {
      const sa = (await run(a, 60)).map((o) => o.status ?? 200);
      const sbs = (await run(b, 60)).map((o) => o.status ?? 200);
      expect(sa).toEqual(sbs);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('never touches /_sandbox endpoints', async () => {
    const s = await start({ faults: { drop: 1 } });
    for (let i = 0; i < 5; i++) expect((await getJson(`${s.url}/_sandbox/health`)).status).toBe(200);
    expect(s.stats.total).toBe(0);
  });

  /**
   * Sends `n` requests one after another on fake time and returns how many fake milliseconds each was
   * held between its arrival and its answer. The latency is a timer: the clock is moved, not waited for.
   */
  async function latencies(s: Sandbox, n: number): Promise<number[]> {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const held: number[] = [];
    for (let i = 1; i <= n; i++) {
      const outcome = hit(s);
      // Counted on arrival, before the delay; answered (and counted in total) only after it. Until it
      // arrives, real I/O: yield to the event loop (setImmediate is not faked).
      while ((s.stats.arrivals['leapsome']?.length ?? 0) < i) await new Promise((resolve) => setImmediate(resolve));
      let ms = 0;
      while (s.stats.total < i && ms < 1_000) {
        await vi.advanceTimersByTimeAsync(1);
        ms++;
      }
      held.push(ms);
      expect(await outcome).toEqual({ kind: 'ok' });
    }
    return held;
  }

  it('delays responses by the configured latency', async () => {
    expect(await latencies(await start({ latencyMs: 40 }), 2)).toEqual([40, 40]);
  });

  it('delays each response by a latency within the configured range', async () => {
    const held = await latencies(await start({ latencyMs: [60, 80] }), 3);
    for (const ms of held) {
      expect(ms).toBeGreaterThanOrEqual(60);
      expect(ms).toBeLessThanOrEqual(80);
    }
  });
});

describe('rate limit enforcement', () => {
  it('answers 429 with Retry-After past 20 Leapsome requests per second', async () => {
    const s = await start({ rateLimits: { enforce: true } });
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => hit(s)));
    expect(outcomes.filter((o) => o.kind === 'ok').length).toBe(20);
    const limited = outcomes.filter((o) => o.status === 429);
    expect(limited.length).toBe(10);
    expect(limited.every((o) => Number(o.retryAfter) >= 1)).toBe(true);
    expect(s.stats.faults.rateLimited).toBe(10);
  });

  it('allows 30 per second on SCIM and a configured limit elsewhere', async () => {
    const s = await start({ rateLimits: { enforce: true, pe365: 5 } });
    const scim = await Promise.all(Array.from({ length: 35 }, () => getJson(`${s.mounts.leapsomeScim}/Groups`, scimHeaders)));
    expect(scim.filter((r) => r.status === 200).length).toBe(30);
    const pe = await Promise.all(Array.from({ length: 8 }, () => getJson(`${s.mounts.pe365}/users/`)));
    expect(pe.filter((r) => r.status === 429).length).toBe(3);
    expect(pe.find((r) => r.status === 429)?.body).toEqual({ detail: 'Request was throttled. Expected available in 1 second.' });
  });

  it('records every arrival per mount, 429s included, and counts them against the window', async () => {
    const s = await start({ rateLimits: { enforce: true, pe365: 3 } });
    const first = await Promise.all(Array.from({ length: 5 }, () => getJson(`${s.mounts.pe365}/users/`)));
    // Unauthenticated: the gateway counts before the API looks at credentials (401).
    expect(first.map((r) => r.status).sort()).toEqual([401, 401, 401, 429, 429]);
    // The rejected ones count too: right after, the window is still full.
    expect((await getJson(`${s.mounts.pe365}/users/`)).status).toBe(429);
    expect(s.stats.arrivals['pe365']).toHaveLength(6);
    expect(s.stats.recent.every((r) => typeof r.at === 'number')).toBe(true);
    const times = s.stats.arrivals['pe365'] as number[];
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const served = (await getJson(`${s.url}/_sandbox/stats`)).body as { arrivals: Record<string, number[]> };
    expect(served.arrivals['pe365']).toEqual(times);
  });

  it('counts per clock second in the fixed mode', async () => {
    const s = await start({ rateLimits: { enforce: true, window: 'fixed', pe365: 2 } });
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => getJson(`${s.mounts.pe365}/users/`)));
    // Usually 2 pass; 4 if the burst straddles a whole second.
    expect([2, 4]).toContain(outcomes.filter((r) => r.status !== 429).length);
  });
});
