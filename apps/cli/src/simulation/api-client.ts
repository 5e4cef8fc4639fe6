/** A small JSON client for the API: one-line errors from problem+json answers, retries on 429 / 5xx. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'x-api-key': this.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
      if ((response.status === 429 || response.status >= 500) && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        continue;
      }
      let detail = text.slice(0, 300);
      try {
        const problem = JSON.parse(text) as { detail?: string };
        if (problem.detail) detail = problem.detail;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(`${method} ${path} answered ${response.status}: ${detail}`);
    }
  }
}
