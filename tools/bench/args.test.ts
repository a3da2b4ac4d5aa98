import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';

describe('the benchmark command line', () => {
  it('runs every scenario by default, with the JSON document nowhere', () => {
    const options = parseArgs([]);
    expect(options).toMatchObject({
      scenarios: ['throughput', 'child', 'fanout'],
      stream: 'timesheets',
      records: 1_000_000,
      pairs: 3,
      json: undefined,
      strict: false,
    });
  });

  it('takes --json with a file, with "-", or alone (stdout)', () => {
    expect(parseArgs(['--json', 'out.json'])).toMatchObject({ json: 'out.json' });
    expect(parseArgs(['--json=out.json'])).toMatchObject({ json: 'out.json' });
    expect(parseArgs(['--json', '-'])).toMatchObject({ json: '-' });
    expect(parseArgs(['--json'])).toMatchObject({ json: '-' });
    expect(parseArgs(['--json', '--records', '10'])).toMatchObject({ json: '-', records: 10 });
  });

  it('checks scenario and vendor lists and numbers', () => {
    expect(parseArgs(['--scenario', 'fanout,throughput,fanout'])).toMatchObject({ scenarios: ['fanout', 'throughput'] });
    expect(() => parseArgs(['--scenario', 'speed'])).toThrow(/not one of/);
    expect(parseArgs(['--fanout-vendors', 'pe365'])).toMatchObject({ fanoutVendors: ['pe365'] });
    expect(() => parseArgs(['--records', '-1'])).toThrow(/positive/);
    expect(() => parseArgs(['--latency', '1.5'])).toThrow(/whole milliseconds/);
    expect(parseArgs(['--rps', '500', '--page-size', '5000', '--no-floor', '--strict'])).toMatchObject({
      rps: 100,
      pageSize: 1000,
      floor: false,
      strict: true,
    });
    expect(parseArgs(['--pairs', '5'])).toMatchObject({ pairs: 5 });
    expect(parseArgs(['--pairs', '50'])).toMatchObject({ pairs: 9 });
    expect(() => parseArgs(['--pairs', '0'])).toThrow(/positive/);
    expect(() => parseArgs(['--bogus', '1'])).toThrow(/unknown option/);
    expect(parseArgs(['--records', '5', '--help'])).toBe('help');
  });
});
