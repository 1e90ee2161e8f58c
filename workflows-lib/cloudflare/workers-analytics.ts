/**
 * Cloudflare's GraphQL Analytics API for Workers: how many requests a script (or one of its versions) served in a
 * stretch of time and how many of them failed, from `workersInvocationsAdaptive` (`sum { requests errors }`).
 * It counts real traffic, which a post-deploy watch's probes alone do not see.
 */

export interface CloudflareApi {
  /** `https://api.cloudflare.com/client/v4` unless CLOUDFLARE_BASE_URL says otherwise. */
  baseUrl: string;
  apiToken: string;
  accountId: string;
  fetch?: typeof fetch;
}

export interface InvocationQuery {
  script: string;
  /** Only this Workers version (a rollout's candidate or stable). */
  version?: string;
  since: number;
  until: number;
}

export interface Invocations {
  requests: number;
  errors: number;
}

const QUERY = `query WorkerInvocations($accountTag: string!, $filter: AccountWorkersInvocationsAdaptiveFilter_InputObject!) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      workersInvocationsAdaptive(limit: 10000, filter: $filter) {
        sum { requests errors }
      }
    }
  }
}`;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export async function workersInvocations(api: CloudflareApi, query: InvocationQuery): Promise<Invocations> {
  const filter: Record<string, string> = { scriptName: query.script, datetime_geq: iso(query.since), datetime_leq: iso(query.until) };
  if (query.version) filter.scriptVersion = query.version;
  const response = await (api.fetch ?? fetch)(`${api.baseUrl.replace(/\/+$/, "")}/graphql`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({ query: QUERY, variables: { accountTag: api.accountId, filter } }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: { viewer?: { accounts?: Array<{ workersInvocationsAdaptive?: Array<{ sum?: Partial<Invocations> }> }> } } | null;
    errors?: Array<{ message?: string }> | null;
  };
  if (!response.ok || (body.errors && body.errors.length > 0)) {
    throw new Error(`Cloudflare analytics answered ${response.status}: ${body.errors?.map((e) => e.message).join("; ") ?? "no data"}`);
  }
  const accounts = body.data?.viewer?.accounts;
  if (!accounts || accounts.length === 0) throw new Error(`Cloudflare analytics: no account ${api.accountId} for this token`);
  let requests = 0;
  let errors = 0;
  for (const group of accounts[0]!.workersInvocationsAdaptive ?? []) {
    requests += group.sum?.requests ?? 0;
    errors += group.sum?.errors ?? 0;
  }
  return { requests, errors };
}

export function cloudflareApiFromEnv(env: Record<string, string | undefined>): CloudflareApi | undefined {
  const apiToken = env.CLOUDFLARE_API_TOKEN;
  const accountId = env.CLOUDFLARE_ACCOUNT_ID;
  if (!apiToken || !accountId) return undefined;
  return { baseUrl: env.CLOUDFLARE_BASE_URL ?? "https://api.cloudflare.com/client/v4", apiToken, accountId };
}
