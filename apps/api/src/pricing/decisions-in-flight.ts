/** Settles a decision that was in flight: with the decision once it is durable, or null if the request making it failed. */
export type Landing<D> = (decided: D | null) => void;

interface Flight<D> {
  fingerprint: string;
  decided: Promise<D | null>;
}

/**
 * Decisions being made right now, by store, SKU and variant. A request that needs a decision another
 * request is already making with the same inputs (same fingerprint) waits for that one instead of
 * scoring the SKU again: after anything that invalidates decisions (a stock update, a guardrail, the
 * store's day turning over), every concurrent request re-scored the same SKUs, each made its own
 * decision for the same inputs, and the model work piled up behind the event loop: 3,060–4,720
 * decisions for 20 SKUs and waits of up to 1.4–2.2 s after one guardrail change, at 1,000 baskets a
 * second on the demo retailer.
 */
export class DecisionsInFlight<D> {
  private readonly flights = new Map<string, Flight<D>>();

  /** The decision in flight for `key` with these inputs, or undefined (the caller makes it: `takeOff`). */
  join(key: string, fingerprint: string): Promise<D | null> | undefined {
    const flight = this.flights.get(key);
    return flight && flight.fingerprint === fingerprint ? flight.decided : undefined;
  }

  /**
   * Announces a decision this caller makes; later `join`s with the same fingerprint wait for it.
   * The landing must be called exactly when the decision is durable, or with null when it will not be
   * (later calls do nothing): a caller that cannot make it calls it with null in a `finally`.
   */
  takeOff(key: string, fingerprint: string): Landing<D> {
    let settle: (decided: D | null) => void = () => undefined;
    const flight: Flight<D> = { fingerprint, decided: new Promise((resolve) => (settle = resolve)) };
    this.flights.set(key, flight);
    let landed = false;
    return (decided) => {
      if (landed) return;
      landed = true;
      // A newer flight (inputs changed meanwhile) keeps its place.
      if (this.flights.get(key) === flight) this.flights.delete(key);
      settle(decided);
    };
  }

  /** Decisions in flight now. */
  get size(): number {
    return this.flights.size;
  }
}
