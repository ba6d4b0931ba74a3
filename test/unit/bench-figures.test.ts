import { conditions, entry, mergeEntries, table, type BenchEntry } from '../../bench/result.js';
import { stageSeconds } from '../../bench/stage-times.js';
import { median, percentile, round } from '../../bench/stats.js';
import { drive } from '../../bench/load.js';

describe('the bench arithmetic', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('takes the nearest-rank percentile', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 100)).toBe(100);
    // 2,000 values: the 99th percentile is the 1,980th smallest.
    const twoThousand = Array.from({ length: 2000 }, (_, i) => i + 1);
    expect(percentile(twoThousand, 99)).toBe(1980);
    expect(percentile([3, 1, 2], 1)).toBe(1);
  });

  it('refuses what has no answer rather than making one up', () => {
    expect(() => median([])).toThrow('no values');
    expect(() => percentile([], 99)).toThrow('no values');
    expect(() => percentile([1], 0)).toThrow('not in (0, 100]');
    expect(() => median([1, Number.NaN])).toThrow('not finite');
  });

  it('rounds to three decimals', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(2)).toBe(2);
  });
});

describe('a results.json entry', () => {
  const cond = conditions(1.5, 5, 'two sides');

  it('carries the name, value, unit, baseline, ratio, target and the conditions of the run', () => {
    const e = entry({
      name: 'ack_p99_ms',
      value: 120,
      baseline: 80,
      unit: 'ms',
      target: '< 60 ms',
      conditions: cond,
      samples: { value: [110, 120, 130], baseline: [70, 80, 90] },
    });
    expect(e).toEqual({
      name: 'ack_p99_ms',
      value: 120,
      unit: 'ms',
      baseline: 80,
      ratio: 1.5,
      target: '< 60 ms',
      conditions: {
        cores: expect.any(Number) as unknown,
        loadAverage: { start: 1.5, end: expect.any(Number) as unknown },
        node: process.version,
        runs: 5,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        notes: 'two sides',
      },
      samples: { value: [110, 120, 130], baseline: [70, 80, 90] },
    });
    expect(e.conditions.cores).toBeGreaterThan(0);
  });

  it('has no ratio without a baseline', () => {
    const e = entry({ name: 'x', value: 0.76, unit: '×', target: '<= 0.80', conditions: cond });
    expect(e).toMatchObject({ baseline: null, ratio: null });
    expect(e).not.toHaveProperty('samples');
  });

  it('keeps the earlier entries of figures not measured again, in the figures’ order', () => {
    const old: BenchEntry[] = [
      entry({ name: 'b', value: 1, unit: 's', target: '', conditions: cond }),
      entry({ name: 'a', value: 1, unit: 's', target: '', conditions: cond }),
    ];
    const fresh = [entry({ name: 'b', value: 2, unit: 's', target: '', conditions: cond })];
    const merged = mergeEntries(old, fresh, ['a', 'b']);
    expect(merged.map((e) => [e.name, e.value])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('prints as a Markdown table row per figure', () => {
    const e = entry({
      name: 'ack_p99_ms',
      value: 120,
      baseline: 80,
      unit: 'ms',
      target: '< 60 ms',
      conditions: cond,
    });
    const lines = table([e]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^\| ack_p99_ms \| 120 ms \| 80 ms \| 1\.5 \| < 60 ms \| 5 runs, load 1\.5→/,
    );
  });
});

describe('the stage times of a deploy message', () => {
  it('reads each finished stage, in seconds or minutes, and nothing else', () => {
    const rendered = [
      ':white_check_mark: Deployed hello-world@main → staging',
      ':white_check_mark: Source · 0.0s',
      ':white_check_mark: Test gate · 19.7s',
      ':white_check_mark: Build image · 1m 05s',
      ':arrows_counterclockwise: *Rollout* · running…',
      'Address: http://127.0.0.1:30001',
    ].join('\n');
    expect(stageSeconds(rendered)).toEqual({ Source: 0, 'Test gate': 19.7, 'Build image': 65 });
  });
});

describe('the load driver', () => {
  it('sends every request once with no more than the concurrency in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const { latencies } = await drive(25, 4, async (i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      seen.push(i);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
    });
    expect(latencies).toHaveLength(25);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(most).toBe(4);
  });
});
