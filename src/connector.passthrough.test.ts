import { bypass, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { configuredCatalog } from '../tools/testing/harness.js';
import { leapsomeConfig, useSandbox } from '../tools/testing/sandbox.js';

const env = useSandbox();

type Row = Record<string, unknown>;

describe('records the schema does not fully describe', () => {
  // The vendor adds fields faster than we release, and leaves optional ones out: neither may cost a
  // field, change a value, or be reported as a mismatch.
  it('go out exactly as the API sent them: unknown fields (nested too) kept, optional fields missing or null, no warning', async () => {
    // The sandbox's goals, drifted on their way: each gets fields no schema knows, at the top and
    // nested, loses an optional field and has another set to null.
    const drift = (goal: Row): Row => {
      const { deadline: _left, ...rest } = goal;
      const [first, ...others] = (goal.keyResults as Row[] | undefined) ?? [];
      return {
        ...rest,
        description: null,
        managedBy: goal.managedBy ? { ...(goal.managedBy as Row), shoeSize: 44 } : null,
        keyResults: first ? [{ ...first, metric: { ...(first.metric as Row), unitLabel: 'deals' }, newFlag: true }, ...others] : [],
        okrScore: { value: 0.7, scale: [0, 1] },
      };
    };
    const sent: Row[] = [];
    env.msw.server.use(
      http.get(`${env.sb.mounts.leapsome}/goals`, async ({ request }) => {
        const response = await fetch(bypass(request));
        const body = (await response.json()) as { data: Row[] } & Row;
        const data = body.data.map(drift);
        sent.push(...data);
        const headers = new Headers(response.headers);
        headers.delete('content-length');
        return Response.json({ ...body, data }, { status: response.status, headers });
      }),
    );
    const catalog = configuredCatalog((await env.connector.discover(leapsomeConfig(env.sb))).catalog(), { streams: ['goals'] });
    const result = await env.connector.read(leapsomeConfig(env.sb), catalog);
    expect(result.code).toBe(0);
    expect(sent.length).toBe(env.sb.truth('leapsome', 'goals').length);
    expect(result.records('goals')).toEqual(sent);
    expect(result.logs().filter((line) => /schema/.test(line))).toEqual([]);
  });
});
