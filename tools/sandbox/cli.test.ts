import { describe, expect, it } from 'vitest';
import { helpText, parseArgs } from './cli-args.js';

describe('sandbox CLI arguments', () => {
  it('maps every kind of flag onto sandbox options', () => {
    const cmd = parseArgs([
      '--port',
      '8080',
      '--seed=9',
      '--scale',
      '0.5',
      '--token-ttl',
      '2',
      '--fault-429',
      '0.1',
      '--retry-after',
      '0',
      '--fault-5xx=0.2',
      '--fault-drop',
      '0.05',
      '--fault-truncate',
      '0.05',
      '--fail-first',
      '3',
      '--fail-first-kind',
      'drop',
      '--faults-after',
      '10',
      '--max-faults',
      '4',
      '--fault-mounts',
      'leapsome,pe365',
      '--latency',
      '5-20',
      '--enforce-rate-limits',
      '--rate-limit-window',
      'fixed',
      '--rate-limit-pe365',
      '7',
      '--forbidden',
      'payroll,absences',
      '--reviews-max-page-size',
      '0',
      '--page-cap',
      '37',
      '--reflektive-well-formed-links',
      '--calibration-cycles',
      '5',
      '--report-fail-cycle',
      'a',
      '--report-fail-cycle',
      'b,c',
      '--report-pending-polls',
      '1',
      '--report-pending-ms',
      '50',
      '--report-link-ttl',
      '2',
      '--report-format',
      'json',
    ]);
    expect(cmd).toEqual({
      kind: 'run',
      options: {
        port: 8080,
        seed: 9,
        scale: 0.5,
        tokenTtlSeconds: 2,
        faults: {
          rate429: 0.1,
          retryAfterSeconds: 0,
          error5xx: 0.2,
          drop: 0.05,
          truncate: 0.05,
          failFirst: 3,
          failFirstKind: 'drop',
          after: 10,
          maxFaults: 4,
          mounts: ['leapsome', 'pe365'],
        },
        latencyMs: [5, 20],
        rateLimits: { enforce: true, window: 'fixed', pe365: 7 },
        forbidden: ['payroll', 'absences'],
        leapsomeReviewsMaxPageSize: 0,
        pageCap: 37,
        reflektive: {
          wellFormedLinks: true,
          calibrationCycles: 5,
          failingCycles: ['a', 'b', 'c'],
          reportPendingPolls: 1,
          reportPendingMs: 50,
          reportLinkTtlSeconds: 2,
          reportFormat: 'json',
        },
      },
    });
  });

  it('maps the Leanmote flags', () => {
    const cmd = parseArgs([
      '--leanmote-window-scale',
      '0.01',
      '--leanmote-shared-quota=0.5',
      '--leanmote-no-git-routes',
      '--leanmote-forbidden',
      'team_managers,interactions',
    ]);
    expect(cmd).toEqual({
      kind: 'run',
      options: { leanmoteWindowScale: 0.01, leanmoteSharedQuota: 0.5, leanmoteGitRoutes: false, leanmoteForbidden: ['team_managers', 'interactions'] },
    });
    expect(() => parseArgs(['--leanmote-shared-quota', '2'])).toThrow(/<= 1/);
    expect(() => parseArgs(['--leanmote-window-scale', '0'])).toThrow(/>=/);
    expect(() => parseArgs(['--leanmote-forbidden', 'surveys'])).toThrow(/not one of/);
  });

  it('rejects unknown flags, missing values and out-of-range shares', () => {
    expect(() => parseArgs(['--nope'])).toThrow(/unknown argument/);
    expect(() => parseArgs(['--seed'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--fault-5xx', '1.5'])).toThrow(/<= 1/);
    expect(() => parseArgs(['--forbidden', 'goals'])).toThrow(/not one of/);
    expect(() => parseArgs(['--latency', '9-3'])).toThrow(/MIN-MAX/);
    expect(() => parseArgs(['--rate-limit-window', 'leaky'])).toThrow(/not one of sliding, fixed/);
    expect(() => parseArgs(['--page-cap', '2.5'])).toThrow(/integer/);
  });

  it('documents every flag in --help', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    const help = helpText();
    for (const flag of [
      '--port',
      '--seed',
      '--scale',
      '--token-ttl',
      '--fault-429',
      '--retry-after',
      '--fault-5xx',
      '--fault-drop',
      '--fault-truncate',
      '--fail-first',
      '--latency',
      '--enforce-rate-limits',
      '--rate-limit-window',
      '--forbidden',
      '--report-format',
    ]) {
      expect(help).toContain(flag);
    }
  });
});
