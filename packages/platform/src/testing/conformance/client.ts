/** One response as the checks see it. @internal */
export interface ProbeResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/** Sends requests to the target and remembers every response for the request-id check. @internal */
export interface ProbeClient {
  readonly baseUrl: string;
  readonly responses: ProbeResponse[];
  send(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: string },
  ): Promise<ProbeResponse>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A fetch-based client bound to one base URL. @internal */
export function createProbeClient(baseUrl: string, timeoutMs: number): ProbeClient {
  const responses: ProbeResponse[] = [];
  const root = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: root,
    responses,
    async send(method, path, init = {}) {
      let res: Response;
      try {
        res = await fetch(`${root}${path}`, {
          method,
          headers: init.headers,
          body: init.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason =
          error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        throw new Error(`${method} ${path} failed: ${reason}`, { cause: error });
      }
      const text = await res.text();
      const response: ProbeResponse = {
        method,
        path,
        status: res.status,
        headers: res.headers,
        text,
        json: parseJson(text),
      };
      responses.push(response);
      return response;
    },
  };
}
