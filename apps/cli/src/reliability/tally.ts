import { isFailure, type HttpResult } from './http';

/** Counts of what the API answered during one phase. */
export class Tally {
  requests = 0;
  /** No answer: refused, reset, or the client's timeout. */
  noAnswer = 0;
  /** 5xx other than a 503 that says when to retry. */
  serverErrors = 0;
  /** 503 with Retry-After: the API refusing while its database is away. */
  retryLater = 0;
  /** Answers that break the contract without being 5xx (4xx not problem+json, unexpected refusals). */
  contractErrors = 0;
  readonly statuses = new Map<number, number>();
  /** A few examples of each kind of trouble, for the report. */
  readonly examples: string[] = [];

  record(result: HttpResult, label: string): void {
    this.requests++;
    if (isFailure(result)) {
      this.noAnswer++;
      return;
    }
    this.statuses.set(result.status, (this.statuses.get(result.status) ?? 0) + 1);
    if (result.status === 503 && result.headers['retry-after'] !== undefined) this.retryLater++;
    else if (result.status >= 500) {
      this.serverErrors++;
      this.example(`${label} → ${result.status} ${result.text.slice(0, 300)}`);
    }
  }

  contract(message: string): void {
    this.contractErrors++;
    this.example(message);
  }

  example(message: string): void {
    if (this.examples.length < 20) this.examples.push(message);
  }

  /** Requests that failed in any way (no answer, broken contract); 5xx are counted apart. */
  get errors(): number {
    return this.noAnswer + this.contractErrors;
  }
}
