import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMswServer } from '../tools/testing/engine/msw.js';
import { logsOf, recordsOf } from '../tools/testing/engine/messages.js';
import { configure, discover, Files, read } from '../tools/testing/connector.js';
import { fakeLeapsome, leapsomeConfig } from '../tools/testing/fake-leapsome.js';

const msw = createMswServer();
const files = new Files();
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => {
  msw.close();
  files.dispose();
});

describe('records the schema does not fully describe', () => {
  // The vendor adds fields faster than we release, and leaves optional ones out: neither may cost a
  // field, change a value, or be reported as a mismatch.
  it('go out exactly as the API sent them: unknown fields (nested too) kept, optional fields missing or null, no warning', async () => {
    const fake = fakeLeapsome();
    const drifted = {
      id: 'goal0',
      updatedAt: '2024-01-01T00:00:00.000Z',
      description: null,
      managedBy: { id: 'u1', email: 'm@example.com', shoeSize: 44 },
      keyResults: [{ id: 'kr1', metric: { type: 'number', start: 0, end: 10, current: 3, unitLabel: 'deals' }, newFlag: true }],
      okrScore: { value: 0.7, scale: [0, 1] },
    };
    fake.data.goals = [drifted];
    fake.data.comments = {};
    msw.server.use(...fake.handlers);
    const catalog = configure(await discover(files, leapsomeConfig()), ['goals']);
    const result = await read(files, leapsomeConfig(), catalog);
    expect(result.code).toBe(0);
    expect(recordsOf(result.messages, 'goals')).toEqual([drifted]);
    expect(logsOf(result.messages).filter((line) => /schema/.test(line))).toEqual([]);
  });
});
