import fc from 'fast-check';
import { DecisionsInFlight, type Landing } from './decisions-in-flight';

describe('DecisionsInFlight', () => {
  it('hands a decision to every request that joined its flight with the same inputs', async () => {
    const flights = new DecisionsInFlight<string>();
    expect(flights.join('S01/A', 'f1')).toBeUndefined();
    const land = flights.takeOff('S01/A', 'f1');
    const joined = [flights.join('S01/A', 'f1'), flights.join('S01/A', 'f1')];
    expect(flights.join('S01/A', 'f2')).toBeUndefined(); // other inputs: another decision
    expect(flights.join('S01/B', 'f1')).toBeUndefined();
    land('decision-1');
    await expect(Promise.all(joined)).resolves.toEqual(['decision-1', 'decision-1']);
    // Landed: later requests find the decision where it was kept, not here.
    expect(flights.join('S01/A', 'f1')).toBeUndefined();
    expect(flights.size).toBe(0);
  });

  it('tells waiters when the decision will not come, and only once', async () => {
    const flights = new DecisionsInFlight<string>();
    const land = flights.takeOff('S01/A', 'f1');
    const joined = flights.join('S01/A', 'f1');
    land(null);
    land('too late');
    await expect(joined).resolves.toBeNull();
    expect(flights.size).toBe(0);
  });

  it('keeps a newer flight for the same SKU when an older one lands', async () => {
    const flights = new DecisionsInFlight<string>();
    const landOld = flights.takeOff('S01/A', 'f1');
    const landNew = flights.takeOff('S01/A', 'f2'); // the inputs changed meanwhile
    const joinedNew = flights.join('S01/A', 'f2');
    expect(flights.join('S01/A', 'f1')).toBeUndefined();
    landOld('old');
    expect(flights.join('S01/A', 'f2')).toBe(joinedNew);
    landNew('new');
    await expect(joinedNew).resolves.toBe('new');
    expect(flights.size).toBe(0);
  });

  it('answers every join with what the flight it joined landed with, whatever the order of take-offs, joins and landings', async () => {
    type Step = { op: 'takeOff' | 'join'; key: number; fingerprint: number } | { op: 'land'; flight: number; decided: string | null };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constantFrom('takeOff' as const, 'join' as const), key: fc.nat(1), fingerprint: fc.nat(1) }),
      fc.record({ op: fc.constant('land' as const), flight: fc.nat(5), decided: fc.option(fc.string({ maxLength: 3 }), { nil: null }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const flights = new DecisionsInFlight<string>();
        // The model: every take-off in order, the newest per key, and what each landed with.
        const launched: Array<{ key: string; fingerprint: string; land: Landing<string>; landed: { value: string | null } | null }> = [];
        const newest = new Map<string, number>();
        const joins: Array<{ promise: Promise<string | null>; flight: number }> = [];
        for (const next of steps) {
          if (next.op === 'land') {
            const flight = launched[next.flight];
            if (!flight) continue;
            flight.land(next.decided);
            flight.landed ??= { value: next.decided };
            continue;
          }
          const key = `S01\u0000SKU-${next.key}`;
          const fingerprint = `f${next.fingerprint}`;
          if (next.op === 'takeOff') {
            newest.set(key, launched.length);
            launched.push({ key, fingerprint, land: flights.takeOff(key, fingerprint), landed: null });
            continue;
          }
          const current = newest.get(key);
          const open = current !== undefined && launched[current]?.landed === null && launched[current]?.fingerprint === fingerprint ? current : undefined;
          const joined = flights.join(key, fingerprint);
          expect(joined === undefined).toBe(open === undefined);
          if (joined && open !== undefined) joins.push({ promise: joined, flight: open });
        }
        for (const flight of launched) flight.land(null); // what never landed is settled with null
        for (const join of joins) await expect(join.promise).resolves.toBe((launched[join.flight]?.landed ?? { value: null }).value);
        expect(flights.size).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });
});
