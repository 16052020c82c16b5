import { GitOpsError } from './gitops-error';

/** How long {@link queryScalar} waits for Prometheus. */
export const PROMETHEUS_TIMEOUT_MS = 10_000;

/** One sample of an instant vector, as the query API returns it. */
interface VectorSample {
  readonly metric?: Record<string, string>;
  readonly value?: readonly [number, string];
}

/**
 * Runs an instant query through Prometheus' HTTP API (`GET /api/v1/query`) and returns the value of
 * its one sample. Anything but a success with one numeric sample throws one line: an unreachable
 * server, a non-2xx answer, `status: "error"`, an empty result or NaN is never a pass.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries
 */
export async function queryScalar(baseUrl: string, query: string, timeoutMs = PROMETHEUS_TIMEOUT_MS): Promise<number> {
  let url: URL;
  try {
    url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new GitOpsError(`Prometheus URL "${baseUrl}" is not a URL; fix: pass its base URL, such as http://prometheus-operated.monitoring.svc:9090`);
  }
  url.searchParams.set('query', query);
  // fetch refuses a URL with credentials (https://fetch.spec.whatwg.org/#dom-request): they go into
  // a basic auth header, as Prometheus' web config reads them
  // (https://prometheus.io/docs/prometheus/latest/configuration/https/), and never into a message.
  const headers: Record<string, string> = { accept: 'application/json' };
  let shown = baseUrl;
  if (url.username !== '' || url.password !== '') {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
    shown = baseUrl.replace(/\/\/[^/]*@/, '//***@');
  }
  const fail = (what: string): GitOpsError =>
    new GitOpsError(`cannot read the error budget from Prometheus at ${shown}: ${what}; nothing was changed; fix: make Prometheus reachable and its SLO rules loaded, then run again`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers });
  } catch (error) {
    // Duck-typed: fetch's errors may come from another realm than this module's Error.
    const { name, message, cause } = describe(error);
    const reason = cause?.code ?? cause?.message ?? message;
    throw fail(name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs / 1000} s` : `unreachable (${reason})`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw fail(`HTTP ${response.status}, not a JSON answer`);
  }
  const answer = typeof body === 'object' && body !== null ? (body as { status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } }) : {};
  if (answer.status === 'error') throw fail(`the query failed (${typeof answer.error === 'string' ? answer.error : 'no reason given'})`);
  if (!response.ok) throw fail(`HTTP ${response.status}`);
  if (answer.status !== 'success' || answer.data?.resultType !== 'vector' || !Array.isArray(answer.data.result)) throw fail('not an instant vector in the answer');
  const result = answer.data.result as readonly VectorSample[];
  if (result.length === 0) throw fail(`no series for ${query} (are the app's SLO rules loaded there?)`);
  if (result.length > 1) throw fail(`${result.length} series for ${query}, where one was expected`);
  const value = Number(result[0].value?.[1]);
  if (!Number.isFinite(value)) throw fail(`the value of ${query} is ${result[0].value?.[1] ?? 'missing'}, not a number`);
  return value;
}

interface ErrorLike {
  readonly name?: string;
  readonly message: string;
  readonly code?: string;
  readonly cause?: ErrorLike;
}

function describe(error: unknown): ErrorLike {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : undefined,
    message: typeof e.message === 'string' ? e.message : String(error),
    code: typeof e.code === 'string' ? e.code : undefined,
    cause: e.cause === undefined ? undefined : describe(e.cause),
  };
}
