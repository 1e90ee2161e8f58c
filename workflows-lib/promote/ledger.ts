/**
 * The deployment ledger: which SHA is live on which environment, and which were live before.
 * One interface, two adapters (GitHub Deployments API, a JSON file under `.alchkit/`). The states are
 * GitHub's deployment status states, so both adapters mean the same thing by them:
 * `success` = live, `inactive` = replaced by a later deployment, `failure` = failed (deploy or health).
 */

export type DeploymentState = "pending" | "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

/** What a rollback needs to rebuild a deployment exactly: carried in the GitHub deployment payload. */
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
  /** The operation that created the deployment: deploy, promote or rollback. */
  operation: "deploy" | "promote" | "rollback";
  /** Environment the SHA was promoted from, for promotions. */
  promotedFrom?: string;
}

export interface StatusEvent {
  state: DeploymentState;
  /**
   * Orders statuses across deployments (GitHub's status ids; a counter in the file ledger). Times alone tie:
   * GitHub stamps to the second.
   */
  seq: number;
  /** ISO-8601 time the status was recorded. */
  at: string;
  description?: string;
  url?: string;
}

export interface LedgerEntry {
  /** Adapter id (GitHub deployment id as a string; a counter in the file ledger). */
  id: string;
  environment: string;
  sha: string;
  ref: string;
  payload: DeploymentPayload;
  createdAt: string;
  /** Status history, oldest first. The last one is the current state. */
  statuses: StatusEvent[];
}

export interface RecordDeployInput {
  environment: string;
  sha: string;
  ref: string;
  payload: DeploymentPayload;
  /** true for production-like environments (GitHub's `production_environment`). */
  productionEnvironment?: boolean;
  description?: string;
}

export interface MarkInput {
  description?: string;
  /** The environment URL (`environment_url`) the deployment answers on. */
  url?: string;
}

export interface Ledger {
  /**
   * Records a deployment of `sha` to `environment` and returns it. Idempotent: an existing deployment for the
   * same environment and SHA is reused (its payload updated), so a re-run never creates a duplicate.
   */
  recordDeploy(input: RecordDeployInput): Promise<LedgerEntry>;
  /** Adds a status. Marking one deployment `success` marks every other live one of its environment `inactive`. */
  mark(entry: LedgerEntry, state: DeploymentState, input?: MarkInput): Promise<LedgerEntry>;
  /** Every deployment of an environment (or of all environments), newest activity first. */
  history(environment?: string): Promise<LedgerEntry[]>;
}

export const stateOf = (entry: LedgerEntry): DeploymentState => entry.statuses.at(-1)?.state ?? "pending";

/** When (in status order) this deployment last became live; undefined if it never was. */
export function lastLiveSeq(entry: LedgerEntry): number | undefined {
  return entry.statuses.findLast((status) => status.state === "success")?.seq;
}

/** Newest activity first: by latest status, deployments without statuses by creation (newest id first). */
export function byActivityNewestFirst(a: LedgerEntry, b: LedgerEntry): number {
  const seqA = a.statuses.at(-1)?.seq ?? Infinity;
  const seqB = b.statuses.at(-1)?.seq ?? Infinity;
  if (seqA !== seqB) return seqB > seqA ? 1 : -1;
  return Number(b.id) - Number(a.id) || b.createdAt.localeCompare(a.createdAt);
}

const byLiveNewestFirst = (a: LedgerEntry, b: LedgerEntry): number => lastLiveSeq(b)! - lastLiveSeq(a)!;

/** The deployment currently live on an environment: its latest status is `success`. */
export function currentLive(entries: LedgerEntry[], environment: string): LedgerEntry | undefined {
  return entries
    .filter((entry) => entry.environment === environment && stateOf(entry) === "success")
    .sort(byLiveNewestFirst)[0];
}

/**
 * The deployment to go back to: the one that was live most recently before the current one, excluding
 * `excludeSha` (the SHA being replaced) and deployments whose latest state is a failure.
 */
export function previousGood(
  entries: LedgerEntry[],
  environment: string,
  excludeSha?: string,
): LedgerEntry | undefined {
  return entries
    .filter(
      (entry) =>
        entry.environment === environment &&
        entry.sha !== excludeSha &&
        lastLiveSeq(entry) !== undefined &&
        !["failure", "error"].includes(stateOf(entry)),
    )
    .sort(byLiveNewestFirst)[0];
}

/** Convenience queries over any adapter. */
export async function liveOn(ledger: Ledger, environment: string): Promise<LedgerEntry | undefined> {
  return currentLive(await ledger.history(environment), environment);
}

export async function previousGoodOn(
  ledger: Ledger,
  environment: string,
  excludeSha?: string,
): Promise<LedgerEntry | undefined> {
  return previousGood(await ledger.history(environment), environment, excludeSha);
}
