/**
 * The deployment ledger: an append-only history of everything done to an environment. Every operation
 * (deploy, promote, rollback, automatic rollback, rollout step or abort) is its own entry, and so is every record
 * about one (a watch result, a policy audit record); what is live now, and what to roll back to, is derived from
 * the entries. One interface, two adapters (GitHub Deployments API, a JSON file under `.alchkit/`), one contract
 * suite for both. Operation states are GitHub's deployment status states, so both adapters mean the same thing
 * by them: `success` = live, `inactive` = replaced by a later operation, `failure`/`error` = failed.
 *
 * Re-runs never duplicate: every entry has a `key` (see `entryKey`), and appending a key the ledger already
 * holds returns that entry. A re-run of the same job carries the same key, so it continues its entries (their
 * statuses show each attempt); a new job is a new entry, so an earlier failure stays in the history.
 */

export type DeploymentState = "pending" | "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

/** Entries that change what an environment runs; each one has a status lifecycle. */
export const OPERATION_KINDS = ["deploy", "promote", "rollback", "auto-rollback", "rollout-step", "rollout-abort"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];
/** Entries that record facts about operations; written once, final from the start. */
export const RECORD_KINDS = ["watch", "policy-audit"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export type EntryKind = OperationKind | RecordKind;

export const isOperationKind = (kind: string): kind is OperationKind => (OPERATION_KINDS as readonly string[]).includes(kind);
export const isRecordKind = (kind: string): kind is RecordKind => (RECORD_KINDS as readonly string[]).includes(kind);

/** JSON that a ledger entry can carry (kind-specific facts: watch figures, policy digests…). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What a rollback needs to rebuild a deployment exactly (carried by every operation entry). */
export interface DeploymentPayload {
  /** Alchemy stage the environment maps to (e.g. `production` → `prod`). */
  stage: string;
  /** The `BUILD_ID` the app was deployed with (the SHA unless configured otherwise). */
  buildId: string;
  /** Alchemy entry file, relative to the app directory (default `alchemy.run.ts`). */
  appEntry: string;
  /** App directory relative to the repository root (`.` for the root). */
  appDir: string;
  /** Env file name given to Alchemy for this environment, relative to the app directory; absent = none. */
  envFile?: string;
  /** The Workers version the operation deployed or shifted traffic to (progressive delivery), next to the SHA. */
  versionId?: string;
  /**
   * Percentage of the environment's traffic this operation gives its version once it succeeds (rollout steps);
   * absent = all of it. Only an operation that takes all traffic replaces (makes `inactive`) the live one.
   */
  traffic?: number;
}

export interface StatusEvent {
  state: DeploymentState;
  /**
   * Orders statuses across entries (GitHub's status ids; a counter in the file ledger). Times alone tie:
   * GitHub stamps to the second.
   */
  seq: number;
  /** ISO-8601 time the status was recorded. */
  at: string;
  description?: string;
  url?: string;
  /** The Workers version this status is about (a deploy learns its version id once it is uploaded). */
  versionId?: string;
  /** The Worker script that version belongs to (a rollback re-points that script's traffic to it). */
  script?: string;
}

interface EntryBase {
  /** Adapter id (GitHub deployment id as a string; a counter in the file ledger). */
  id: string;
  /** Idempotency key: one entry per key, whatever the number of re-runs (see `entryKey`). */
  key: string;
  environment: string;
  sha: string;
  /** The ref the user asked for (a branch, tag or SHA); `sha` is what it resolved to. */
  ref: string;
  createdAt: string;
  /** Who wrote it: the GitHub login of the deployment's creator; locally `local`. */
  creator: string;
  /** Id of the entry this one is about: the deployment a watch observed, the failed deploy an automatic rollback answers… */
  about?: string;
  /** Kind-specific facts (small JSON). */
  data?: JsonObject;
  /** Status history, oldest first. The last one is the current state. */
  statuses: StatusEvent[];
}

export interface OperationEntry extends EntryBase {
  kind: OperationKind;
  payload: DeploymentPayload;
  /** Environment the SHA was promoted from (`promote`). */
  from?: string;
}

export interface RecordEntry extends EntryBase {
  kind: RecordKind;
}

export type LedgerEntry = OperationEntry | RecordEntry;

/** The least a status update needs to name its entry (e.g. from a post step that kept only the id). */
export type EntryRef = Pick<LedgerEntry, "id" | "environment" | "sha">;

interface AppendBase {
  key: string;
  environment: string;
  sha: string;
  ref: string;
  about?: string;
  data?: JsonObject;
  /** true for production-like environments (GitHub's `production_environment`). */
  productionEnvironment?: boolean;
  description?: string;
}

export interface AppendOperation extends AppendBase {
  kind: OperationKind;
  payload: DeploymentPayload;
  from?: string;
}

export interface AppendRecord extends AppendBase {
  kind: RecordKind;
  /** The record's verdict, final at once: `success` (healthy, allowed) or `failure` (unhealthy, denied). */
  state: "success" | "failure";
  /** Where to read more (the watch's dashboard, the run's log). */
  url?: string;
}

export type AppendInput = AppendOperation | AppendRecord;

export interface MarkInput {
  description?: string;
  /** The environment URL (`environment_url`) the deployment answers on. */
  url?: string;
  /** The Workers version the operation produced, once known. */
  versionId?: string;
  /** The Worker script of that version. */
  script?: string;
}

export interface Ledger {
  /**
   * Appends an entry and returns it. Idempotent on `key`: when the ledger holds an entry with that key (a re-run
   * of the same job, a retried request whose first attempt landed) that entry is returned and nothing is added.
   * A record is final at once (its one status is `state`).
   */
  append(input: AppendInput): Promise<LedgerEntry>;
  /**
   * Adds a status to an operation. An operation that takes all traffic and becomes `success` marks every other
   * live operation of its environment `inactive`.
   */
  mark(entry: EntryRef, state: DeploymentState, input?: MarkInput): Promise<OperationEntry>;
  /** Every entry of an environment (or of all environments) the ledger trusts, newest activity first. */
  history(environment?: string): Promise<LedgerEntry[]>;
}

/** Entries whose key is the same are one entry (a duplicate left by a lost response): the oldest wins. */
export function withoutDuplicates<T extends LedgerEntry>(entries: T[]): T[] {
  const first = new Map<string, T>();
  for (const entry of [...entries].sort((a, b) => Number(a.id) - Number(b.id))) {
    if (!first.has(entry.key)) first.set(entry.key, entry);
  }
  return entries.filter((entry) => first.get(entry.key) === entry);
}

/**
 * The idempotency key of an entry: the job (`run`, stable across re-runs of the same job, e.g.
 * `github:<run id>:<job>`; a new one for every local command), what it does, where, to which SHA. `part`
 * separates entries one job writes several of (e.g. rollout steps: `part: "25"`).
 */
export function entryKey(run: string, kind: EntryKind, environment: string, sha: string, part?: string): string {
  return [run, kind, environment, sha, ...(part ? [part] : [])].join(":");
}

export const isOperation = (entry: LedgerEntry): entry is OperationEntry => isOperationKind(entry.kind);
export const operationsOf = (entries: LedgerEntry[]): OperationEntry[] => entries.filter(isOperation);
export const recordsOf = (entries: LedgerEntry[]): RecordEntry[] => entries.filter((entry): entry is RecordEntry => !isOperation(entry));

export const stateOf = (entry: LedgerEntry): DeploymentState => entry.statuses.at(-1)?.state ?? "pending";

/** Whether a successful operation takes all of the environment's traffic (everything but partial rollout steps). */
export const takesAllTraffic = (entry: Pick<OperationEntry, "payload">): boolean =>
  entry.payload.traffic === undefined || entry.payload.traffic >= 100;

/** When (in status order) this entry last became live; undefined if it never was. */
export function lastLiveSeq(entry: LedgerEntry): number | undefined {
  return entry.statuses.findLast((status) => status.state === "success")?.seq;
}

/** Newest activity first: by latest status, entries without statuses by creation (newest id first). */
export function byActivityNewestFirst(a: LedgerEntry, b: LedgerEntry): number {
  const seqA = a.statuses.at(-1)?.seq ?? Infinity;
  const seqB = b.statuses.at(-1)?.seq ?? Infinity;
  if (seqA !== seqB) return seqB > seqA ? 1 : -1;
  return Number(b.id) - Number(a.id) || b.createdAt.localeCompare(a.createdAt);
}

const byLiveNewestFirst = (a: LedgerEntry, b: LedgerEntry): number => lastLiveSeq(b)! - lastLiveSeq(a)!;

const fullOperationsOn = (entries: LedgerEntry[], environment: string): OperationEntry[] =>
  operationsOf(entries).filter((entry) => entry.environment === environment && takesAllTraffic(entry));

/** The operation whose code the environment runs now: the full-traffic operation that became live last. */
export function currentLive(entries: LedgerEntry[], environment: string): OperationEntry | undefined {
  return fullOperationsOn(entries, environment)
    .filter((entry) => stateOf(entry) === "success")
    .sort(byLiveNewestFirst)[0];
}

/** A watch record about `entry` that found it unhealthy: the deployment went live, then proved bad. */
function watchedBad(entries: LedgerEntry[], entry: OperationEntry): boolean {
  return recordsOf(entries).some((record) => record.kind === "watch" && record.about === entry.id && stateOf(record) === "failure");
}

/**
 * The deployment to go back to: the operation that was live most recently before the current one, excluding
 * `excludeSha` (the SHA being replaced) and every SHA whose latest operation on the environment failed or
 * whose watch found it unhealthy.
 */
export function previousGood(
  entries: LedgerEntry[],
  environment: string,
  excludeSha?: string,
): OperationEntry | undefined {
  const operations = fullOperationsOn(entries, environment);
  const latestBySha = new Map<string, OperationEntry>();
  for (const entry of [...operations].sort((a, b) => Number(a.id) - Number(b.id))) latestBySha.set(entry.sha, entry);
  const bad = (sha: string): boolean => {
    const latest = latestBySha.get(sha)!;
    return ["failure", "error"].includes(stateOf(latest)) || operations.some((entry) => entry.sha === sha && watchedBad(entries, entry));
  };
  return operations
    .filter((entry) => entry.sha !== excludeSha && lastLiveSeq(entry) !== undefined && !bad(entry.sha))
    .sort(byLiveNewestFirst)[0];
}

/** The entry a rollback of `sha` rebuilds from: its newest operation that was live (its payload is the recipe). */
export function lastLiveOf(entries: LedgerEntry[], environment: string, sha: string): OperationEntry | undefined {
  return fullOperationsOn(entries, environment)
    .filter((entry) => entry.sha === sha && lastLiveSeq(entry) !== undefined)
    .sort(byLiveNewestFirst)[0];
}

/** The Workers version an operation served when it was last live, with its script (absent: not recorded). */
export function liveVersionOf(entry: LedgerEntry): { versionId: string; script?: string } | undefined {
  const status = entry.statuses.findLast((s) => s.state === "success" && s.versionId);
  if (!status?.versionId) return undefined;
  return { versionId: status.versionId, ...(status.script ? { script: status.script } : {}) };
}

/** Convenience queries over any adapter. */
export async function liveOn(ledger: Ledger, environment: string): Promise<OperationEntry | undefined> {
  return currentLive(await ledger.history(environment), environment);
}

export async function previousGoodOn(
  ledger: Ledger,
  environment: string,
  excludeSha?: string,
): Promise<OperationEntry | undefined> {
  return previousGood(await ledger.history(environment), environment, excludeSha);
}
