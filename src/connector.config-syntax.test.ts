import { afterAll, describe, expect, it } from 'vitest';
import { Files, runInProcess } from '../tools/testing/harness.js';

const files = new Files();
afterAll(() => files.dispose());

const SECRET = 'sk-live-7f3a9c1e5b';

describe('a config file that is not valid JSON', () => {
  // JSON.parse quotes the text around the error ("Unexpected token ''', ..."api_key": 'sk-live-7f"...").
  // The config has not parsed, so no secret is registered with the redactor yet: the message must not
  // quote the file at all.
  it.each([
    ['single quotes', `{"platform": {"vendor": "leapsome", "api_key": '${SECRET}'}}`],
    ['no quotes', `{"platform": {"vendor": "leapsome", "api_key": ${SECRET}}}`],
  ])('does not quote any part of the secret (%s)', async (_, text) => {
    const result = await runInProcess(['check', '--config', files.write('config.json', text)]);
    expect(result.code).toBe(1);
    const [error] = result.errors();
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toMatch(/config\.json is not valid JSON/);
    for (const line of result.lines) expect(line).not.toContain(SECRET.slice(0, 6));
  });
});
