import { z } from "zod";
import type { GitHubClient } from "./client.ts";
import {
  OPERATION_KINDS,
  RECORD_KINDS,
  byActivityNewestFirst,
  isOperationKind,
  takesAllTraffic,
  withoutDuplicates,
  type AppendInput,
  type DeploymentState,
  type EntryRef,
  type JsonObject,
  type Ledger,
  type LedgerEntry,
  type MarkInput,
  type OperationEntry,
  type StatusEvent,
} from "../promote/ledger.ts";

export interface DeploymentsLedgerOptions {
  owner: string;
  repo: string;
  /** Link to the run, shown by GitHub next to each deployment status (`log_url`). */
  logUrl?: string;
  /** How many recent deployments per query count as history at least (GitHub keeps them all). */
  depth?: number;
  /**
   * Also every deployment created at or after this time (ISO 8601), however many that is: history then pages
   * through GitHub's listing (100 a page, newest first) until it is past both `depth` and `since`.
   */
  since?: string;
  /**
   * Logins whose deployments are the kit's own (the identity of the token its jobs run with). Any token with
   * `deployments: write` can create a deployment that looks like ours; those of anyone else are ignored, so a
   * rollback never redeploys what an outsider wrote. Absent: every well-formed entry is trusted.
   */
  trustedCreators?: () => Promise<readonly string[]>;
  /** Told about each deployment that looks like an entry but is ignored, and why. */
  onIgnored?: (ignored: IgnoredDeployment) => void;
}

export interface IgnoredDeployment {
  id: string;
  environment: string;
  sha: string;
  creator: string;
  reason: string;
}

/** Marks our operations apart from other deployments of the same repository (other tools may deploy too). */
export const DEPLOYMENT_TASK = "deploy:alchkit";
/** Records (watch results, policy audits) are deployments of their own task… */
export const RECORD_TASK = "record:alchkit";
/**
 * …in an environment of their own next to the one they are about, so the environment's page keeps showing
 * the deployment that is live, not the latest record. (`/` never occurs in the kit's environment names.)
 */
export const recordsEnvironment = (environment: string): string => `${environment}/records`;
const RECORDS_SUFFIX = "/records";

/** A path inside the checkout: a rollback must never be pointed outside it by whatever wrote the entry. */
const relativePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith("/") && !path.split(/[\\/]/).includes(".."), { error: "a path inside the repository" });

const Recipe = z.object({
  stage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  buildId: z.string().min(1),
  appEntry: relativePath,
  appDir: z.string().refine((path) => path === "." || relativePath.safeParse(path).success, { error: "a path inside the repository" }),
  envFile: relativePath.optional(),
  versionId: z.string().optional(),
  traffic: z.number().min(0).max(100).optional(),
});

/** The payload of every deployment the kit writes (version 2: one deployment per operation or record). */
const Stored = z.object({
  alchkit: z.literal(2),
  kind: z.enum([...OPERATION_KINDS, ...RECORD_KINDS]),
  key: z.string().min(1),
  ref: z.string(),
  from: z.string().optional(),
  about: z.string().optional(),
  recipe: Recipe.optional(),
  data: z.record(z.string(), z.json()).optional(),
});
type Stored = z.infer<typeof Stored>;

/** Version 1: one deployment per environment and SHA, the latest operation in the payload. */
const Legacy = Recipe.extend({
  operation: z.enum(["deploy", "promote", "rollback"]),
  promotedFrom: z.string().optional(),
  ref: z.string().optional(),
});

/**
 * The version id rides in the status description (GitHub statuses carry no data): `… [version <id>]`, or
 * `… [version <id> of <script>]` when the Worker script is known.
 */
const VERSION = / \[version ([\w.-]+)(?: of ([\w.-]+))?\]$/;
const describe = (input: MarkInput): string | undefined => {
  const suffix = input.versionId ? ` [version ${input.versionId}${input.script ? ` of ${input.script}` : ""}]` : "";
  if (!input.description && !suffix) return undefined;
  return `${(input.description ?? "").slice(0, 140 - suffix.length)}${suffix}`;
};

const recordStatus = (input: { description?: string; url?: string }): MarkInput => ({
  ...(input.description ? { description: input.description } : {}),
  ...(input.url ? { url: input.url } : {}),
});

type Deployment = Awaited<ReturnType<GitHubClient["rest"]["repos"]["getDeployment"]>>["data"];

/**
 * The ledger on GitHub's Deployments API: one deployment per operation (task `deploy:alchkit`, the rollback
 * recipe and idempotency key in its payload, states as deployment statuses with the environment URL), one per
 * record (task `record:alchkit`, in `<environment>/records`). `success` on one operation explicitly marks the
 * environment's previous live one `inactive` (GitHub's own auto-inactive skips production environments, and
 * explicit states keep the ledger readable everywhere).
 */
export function createDeploymentsLedger(github: GitHubClient, options: DeploymentsLedgerOptions): Ledger {
  const { owner, repo } = options;
  const depth = options.depth ?? 50;
  let trusted: Promise<readonly string[]> | undefined;
  const trustedCreators = () => (trusted ??= options.trustedCreators ? options.trustedCreators() : Promise.resolve([]));

  async function statusesOf(id: number): Promise<StatusEvent[]> {
    const statuses = await github.paginate(github.rest.repos.listDeploymentStatuses, {
      owner,
      repo,
      deployment_id: id,
      per_page: 100,
    });
    return statuses
      .map((status) => {
        const version = status.description ? VERSION.exec(status.description) : null;
        const description = version ? status.description!.slice(0, version.index) : status.description;
        return {
          state: status.state as DeploymentState,
          at: status.created_at,
          seq: status.id,
          ...(description ? { description } : {}),
          ...(status.environment_url ? { url: status.environment_url } : {}),
          ...(version ? { versionId: version[1]! } : {}),
          ...(version?.[2] ? { script: version[2] } : {}),
        };
      })
      .sort((a, b) => a.seq - b.seq);
  }

  /** What the deployment says it is, or why it is not one of ours. */
  function parse(deployment: Deployment): { stored: Stored } | { reason: string } {
    const raw = typeof deployment.payload === "object" && deployment.payload !== null ? deployment.payload : {};
    if ((raw as { alchkit?: unknown }).alchkit === undefined && deployment.task === DEPLOYMENT_TASK) {
      const legacy = Legacy.safeParse(raw);
      if (!legacy.success) return { reason: `payload: ${legacy.error.issues[0]!.message}` };
      const { operation, promotedFrom, ref, ...recipe } = legacy.data;
      return {
        stored: {
          alchkit: 2,
          kind: operation,
          key: `legacy:${deployment.id}`,
          ref: ref ?? deployment.ref,
          recipe,
          ...(promotedFrom ? { from: promotedFrom } : {}),
        },
      };
    }
    const parsed = Stored.safeParse(raw);
    if (!parsed.success) return { reason: `payload ${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}` };
    const operation = isOperationKind(parsed.data.kind);
    if (operation !== (deployment.task === DEPLOYMENT_TASK) || operation !== (parsed.data.recipe !== undefined)) {
      return { reason: `a ${parsed.data.kind} entry with task ${deployment.task}${parsed.data.recipe ? "" : " and no recipe"}` };
    }
    return { stored: parsed.data };
  }

  async function toEntry(deployment: Deployment, stored: Stored): Promise<LedgerEntry> {
    const record = deployment.task === RECORD_TASK;
    const environment = record && deployment.environment.endsWith(RECORDS_SUFFIX)
      ? deployment.environment.slice(0, -RECORDS_SUFFIX.length)
      : deployment.environment;
    const base = {
      id: String(deployment.id),
      key: stored.key,
      environment,
      sha: deployment.sha,
      ref: stored.ref,
      createdAt: deployment.created_at,
      creator: deployment.creator?.login ?? "",
      ...(stored.about ? { about: stored.about } : {}),
      ...(stored.data ? { data: stored.data as JsonObject } : {}),
      statuses: await statusesOf(deployment.id),
    };
    return stored.recipe
      ? { ...base, kind: stored.kind as OperationEntry["kind"], payload: stored.recipe, ...(stored.from ? { from: stored.from } : {}) }
      : { ...base, kind: stored.kind as Exclude<LedgerEntry["kind"], OperationEntry["kind"]> };
  }

  /** The deployment as an entry, or undefined (and reported) when it is not one the ledger trusts. */
  async function accept(deployment: Deployment): Promise<LedgerEntry | undefined> {
    const creator = deployment.creator?.login ?? "";
    const ignore = (reason: string) => {
      options.onIgnored?.({ id: String(deployment.id), environment: deployment.environment, sha: deployment.sha, creator, reason });
      return undefined;
    };
    const parsed = parse(deployment);
    if ("reason" in parsed) return ignore(parsed.reason);
    const logins = await trustedCreators();
    if (options.trustedCreators && !logins.some((login) => login.toLowerCase() === creator.toLowerCase())) {
      return ignore(`created by ${creator || "an unknown user"}, not by the kit's own jobs (${logins.join(", ") || "none trusted"})`);
    }
    return toEntry(deployment, parsed.stored);
  }

  const since = options.since === undefined ? undefined : Date.parse(options.since);
  if (since !== undefined && Number.isNaN(since)) throw new Error(`since: expected an ISO 8601 time, got ${options.since}`);
  const wanted = (deployment: Deployment, count: number) => count < depth || (since !== undefined && Date.parse(deployment.created_at) >= since);

  /** The newest deployments first: `depth` of them, and past that those created since `since`. */
  async function listDeployments(query: { environment?: string; sha?: string; task: string }): Promise<Deployment[]> {
    const found: Deployment[] = [];
    const pages = github.paginate.iterator(github.rest.repos.listDeployments, {
      owner,
      repo,
      per_page: since === undefined ? Math.min(depth, 100) : 100,
      ...query,
    });
    for await (const { data } of pages) {
      for (const deployment of data as Deployment[]) {
        if (!wanted(deployment, found.length)) return found;
        found.push(deployment);
      }
      if (since === undefined && found.length >= depth) return found;
    }
    return found;
  }

  async function entriesOf(deployments: Deployment[]): Promise<LedgerEntry[]> {
    const entries = await Promise.all(deployments.map(accept));
    return withoutDuplicates(entries.filter((entry): entry is LedgerEntry => entry !== undefined));
  }

  async function history(environment?: string): Promise<LedgerEntry[]> {
    const [operations, records] = await Promise.all([
      listDeployments({ task: DEPLOYMENT_TASK, ...(environment ? { environment } : {}) }),
      listDeployments({ task: RECORD_TASK, ...(environment ? { environment: recordsEnvironment(environment) } : {}) }),
    ]);
    return (await entriesOf([...operations, ...records])).sort(byActivityNewestFirst);
  }

  async function addStatus(id: number, state: DeploymentState, input: MarkInput): Promise<void> {
    const description = describe(input);
    const logUrl = options.logUrl;
    await github.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state,
      auto_inactive: false,
      ...(description ? { description } : {}),
      ...(input.url ? { environment_url: input.url } : {}),
      ...(logUrl ? { log_url: logUrl } : {}),
    });
  }

  /** The entry with `key` among the deployments of that environment, SHA and task (oldest first if a retry left two). */
  async function findByKey(query: { environment: string; sha: string; task: string }, key: string): Promise<LedgerEntry | undefined> {
    const entries = await entriesOf(await listDeployments(query));
    return entries.filter((entry) => entry.key === key).sort((a, b) => Number(a.id) - Number(b.id))[0];
  }

  return {
    async append(input: AppendInput) {
      const record = !("payload" in input);
      const query = {
        environment: record ? recordsEnvironment(input.environment) : input.environment,
        sha: input.sha,
        task: record ? RECORD_TASK : DEPLOYMENT_TASK,
      };
      const existing = await findByKey(query, input.key);
      if (existing) {
        // A record whose status did not land (the job died in between) gets it now.
        if (record && "state" in input && existing.statuses.length === 0) {
          await addStatus(Number(existing.id), input.state, recordStatus(input));
          return (await findByKey(query, input.key))!;
        }
        return existing;
      }
      const stored: Stored = {
        alchkit: 2,
        kind: input.kind,
        key: input.key,
        ref: input.ref,
        ...("from" in input && input.from ? { from: input.from } : {}),
        ...(input.about ? { about: input.about } : {}),
        ...("payload" in input ? { recipe: { ...input.payload } } : {}),
        ...(input.data ? { data: input.data } : {}),
      };
      const { data, status } = await github.rest.repos.createDeployment({
        owner,
        repo,
        ref: input.sha,
        task: query.task,
        environment: query.environment,
        payload: stored as unknown as Record<string, unknown>,
        auto_merge: false,
        // alchkit checks the required checks itself (and names the failing ones); GitHub's own gate would
        // only answer 409 without that detail.
        required_contexts: [],
        production_environment: !record && (input.productionEnvironment ?? false),
        transient_environment: false,
        ...(input.description ? { description: input.description.slice(0, 140) } : {}),
      });
      if (status !== 201 || !("id" in data)) {
        throw new Error(`GitHub did not create the ${input.kind} entry of ${input.sha} on ${input.environment}: ${JSON.stringify(data)}`);
      }
      if ("state" in input) await addStatus(data.id, input.state, recordStatus(input));
      // Read back by key: when a retried request created a second deployment, the oldest is the entry.
      return (await findByKey(query, input.key)) ?? (await toEntry(data as Deployment, stored));
    },
    async mark(entry: EntryRef, state: DeploymentState, input: MarkInput = {}) {
      const { data: deployment } = await github.rest.repos.getDeployment({ owner, repo, deployment_id: Number(entry.id) });
      const parsed = parse(deployment as Deployment);
      if ("reason" in parsed) throw new Error(`Deployment ${entry.id} is not an entry of the ledger: ${parsed.reason}`);
      if (!parsed.stored.recipe) throw new Error(`Entry ${entry.id} is a ${parsed.stored.kind} record: records are final when written`);
      if (state === "success" && takesAllTraffic({ payload: parsed.stored.recipe })) {
        for (const other of await history(deployment.environment)) {
          if (other.id !== entry.id && "payload" in other && other.statuses.at(-1)?.state === "success") {
            await addStatus(Number(other.id), "inactive", { description: `Replaced by ${deployment.sha.slice(0, 7)}` });
          }
        }
      }
      await addStatus(Number(entry.id), state, input);
      return (await toEntry(deployment as Deployment, parsed.stored)) as OperationEntry;
    },
    history,
  };
}
