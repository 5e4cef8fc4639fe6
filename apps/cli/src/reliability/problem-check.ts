import { isFailure, jsonOf, type HttpResult } from './http';

/**
 * What is wrong with an answer to a fuzzed request, or [] when nothing is: no 5xx, and every 4xx is
 * `application/problem+json` with `status` (equal to the HTTP status), `title` and `detail`; a
 * problem that lists field errors names the first one in `field`.
 */
export function responseViolations(response: HttpResult): string[] {
  if (isFailure(response)) return [`no answer (${response.error})`];
  const violations: string[] = [];
  if (response.status >= 500) violations.push(`${response.status} server error`);
  if (response.status >= 400) {
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/problem+json')) violations.push(`${response.status} with content-type ${JSON.stringify(contentType)}, not application/problem+json`);
    const problem = jsonOf(response);
    if (!problem || typeof problem !== 'object' || Array.isArray(problem)) {
      violations.push(`${response.status} body is not a JSON object`);
      return violations;
    }
    const fields = problem as Record<string, unknown>;
    if (fields['status'] !== response.status) violations.push(`problem status ${JSON.stringify(fields['status'])} differs from HTTP ${response.status}`);
    if (typeof fields['title'] !== 'string' || fields['title'] === '') violations.push('problem without a title');
    if (typeof fields['detail'] !== 'string' || fields['detail'] === '') violations.push('problem without a detail');
    const errors = fields['errors'];
    if (Array.isArray(errors) && errors.length > 0) {
      const first = errors[0] as { field?: unknown } | undefined;
      if (typeof fields['field'] !== 'string' || fields['field'] !== first?.field) violations.push(`problem lists field errors but field is ${JSON.stringify(fields['field'])}`);
    }
  }
  return violations;
}
