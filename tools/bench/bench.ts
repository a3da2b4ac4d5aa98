/**
 * The benchmark: runs the chosen sections (throughput with its floor, child-stream memory, fan-out
 * efficiency), prints each run as it ends, then the closing table of figures and targets, and writes
 * the JSON document `--json` asks for.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { HELP, parseArgs } from './args.js';
import { childSection } from './child.js';
import { fanoutSection } from './fanout.js';
import type { Say } from './print.js';
import { summaryTable, targetsMet, type BenchReport, type FanoutReport, type MemoryReport, type ThroughputReport } from './report.js';
import { benchFigures } from './targets.js';
import { throughputSection } from './throughput.js';

export async function benchMain(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  // With the JSON document on stdout, everything else goes to stderr.
  const out = options.json === '-' ? process.stderr : process.stdout;
  const say: Say = (line = '') => out.write(`${line}\n`);
  const startedAt = new Date().toISOString();
  const machine = {
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg(),
    totalMemoryBytes: totalmem(),
  };
  say(
    `Benchmark: ${options.scenarios.join(', ')}; ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}`,
  );
  say();

  const work = mkdtempSync(join(tmpdir(), 'spm-bench-'));
  let throughput: ThroughputReport | undefined;
  const memory: MemoryReport[] = [];
  let fanout: FanoutReport[] = [];
  const problems: string[] = [];
  try {
    if (options.scenarios.includes('throughput')) {
      const section = await throughputSection(options, work, say);
      throughput = section.report;
      memory.push(section.memory);
      problems.push(...section.problems);
    }
    if (options.scenarios.includes('child')) {
      const section = await childSection(options, work, say);
      memory.push(section.memory);
      problems.push(...section.problems);
    }
    if (options.scenarios.includes('fanout')) {
      const section = await fanoutSection(options, work, say);
      fanout = section.reports;
      problems.push(...section.problems);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const figures = benchFigures({ throughput, memory, fanout });
  const report: BenchReport = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    options: { ...options },
    throughput,
    memory,
    fanout,
    figures,
    runsOk: problems.length === 0,
    problems,
    targetsMet: targetsMet(figures),
  };

  say('── Figures');
  for (const line of summaryTable(figures)) say(line);
  say();
  for (const problem of problems) say(`PROBLEM: ${problem}`);
  say(
    `${report.runsOk ? 'Every run read what it should.' : 'Some runs failed: their figures do not count.'} Targets: ${figures.filter((f) => f.met === true).length} of ${figures.filter((f) => f.target).length} met.`,
  );

  const document = `${JSON.stringify(report, null, 2)}\n`;
  if (options.json === '-') process.stdout.write(document);
  else if (options.json !== undefined) {
    writeFileSync(options.json, document);
    say(`JSON: ${options.json}`);
  }
  if (!report.runsOk) return 1;
  return options.strict && !report.targetsMet ? 2 : 0;
}
