import { DecisionsInFlight } from './decisions-in-flight';

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
});
