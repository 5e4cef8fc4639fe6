import { recordLook, statesBefore, type DailyLooks } from './daily-looks';
import { initialSequentialState, updateSequentialTest, type SequentialState } from './sequential';

const look = (state: SequentialState, estimate: number): SequentialState => updateSequentialTest(state, { estimate, variance: 0.001 });
const start = initialSequentialState({ mixingVariance: 0.0025 });

describe(statesBefore.name, () => {
  it('has nothing before the first look', () => {
    expect(statesBefore(null, '2026-03-01')).toBeUndefined();
  });

  it("continues from yesterday's last look on a new day, and replaces today's look on the same day", () => {
    const stored: DailyLooks = { day: '2026-03-01', base: { model: start }, current: { model: look(start, 0.02) } };
    expect(statesBefore(stored, '2026-03-02')).toBe(stored.current);
    expect(statesBefore(stored, '2026-03-01')).toBe(stored.base);
  });
});

describe(recordLook.name, () => {
  it('advances the tests by one look per day however often results are asked for', () => {
    let stored: DailyLooks | null = null;
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) {
      for (const estimate of [0.01, 0.02, 0.03]) {
        const previous = statesBefore(stored, day)?.['model'] ?? start;
        stored = recordLook(stored, day, { model: look(previous, estimate) });
      }
    }
    expect(stored?.day).toBe('2026-03-03');
    expect(stored?.current['model']?.looks).toBe(3);
    expect(stored?.base['model']?.looks).toBe(2);
  });
});
