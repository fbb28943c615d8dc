// One soak worker: create → get → patch → list → delete, over and over, as one user, counting
// every request and every failure. Shared by the in-process soak and the SIGTERM-in-soak test.

/** Outcome counters of one or more workers. */
export interface SoakCounts {
  requests: number;
  /** Answered, but not with the expected status. */
  wrongStatus: string[];
  /** A request that was sent and got no answer (reset, hang-up): a dropped request. */
  dropped: string[];
  /** Refused before anything was sent (the server had stopped accepting): not a failure. */
  refused: number;
}

export function newCounts(): SoakCounts {
  return { requests: 0, wrongStatus: [], dropped: [], refused: 0 };
}

function causeCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code ?? String(error);
}

/** Runs the CRUD loop until `until()` says stop or the server refuses connections. */
export async function crudWorker(
  baseUrl: string,
  authorization: string,
  counts: SoakCounts,
  until: () => boolean,
): Promise<void> {
  const headers = { authorization, 'content-type': 'application/json' };
  async function call(method: string, path: string, expected: number, body?: unknown): Promise<Response | undefined> {
    counts.requests++;
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/api/v1/entities${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      if (causeCode(error) === 'ECONNREFUSED') counts.refused++;
      else counts.dropped.push(`${method} ${path}: ${causeCode(error)}`);
      return undefined;
    }
    if (res.status !== expected) counts.wrongStatus.push(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }
  for (let i = 0; !until(); i++) {
    const created = await call('POST', '', 201, { title: `soak ${i}`, description: 'x'.repeat(i % 200) });
    if (created === undefined) return;
    const { id } = (await created.json()) as { id: string };
    if ((await call('GET', `/${id}`, 200)) === undefined) return;
    if ((await call('PATCH', `/${id}`, 200, { description: null })) === undefined) return;
    if ((await call('GET', '?limit=5', 200)) === undefined) return;
    if ((await call('DELETE', `/${id}`, 204)) === undefined) return;
  }
}
