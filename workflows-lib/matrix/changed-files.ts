import { InputError } from "../errors.ts";
import type { ChangeSet } from "./affected.ts";

/** What the matrix needs from git. The adapter (`git-adapter.ts`) runs the git CLI; tests use real repos. */
export interface GitPort {
  /** The commit a ref names, or undefined when this clone does not have it. */
  resolveCommit(ref: string): Promise<string | undefined>;
  /** The best common ancestor, or undefined when none is reachable in this clone. */
  mergeBase(a: string, b: string): Promise<string | undefined>;
  /** Paths changed between two commits; a rename yields both its old and its new path. */
  diff(from: string, to: string): Promise<string[]>;
  /**
   * Paths changed from the merge base of `base` and `head` to `head`, in one git call (`base...head`);
   * undefined when a commit is missing or no merge base is reachable in this clone.
   */
  diffSinceMergeBase(base: string, head: string): Promise<string[] | undefined>;
  isShallow(): Promise<boolean>;
  /** The remote history comes from ("origin"), or undefined in a clone without remotes. */
  remote(): Promise<string | undefined>;
  /** Fetches one commit (by SHA or ref) from the remote, shallowly. */
  fetchCommit(remote: string, ref: string): Promise<void>;
  /** Extends a shallow clone's history by `commits` more commits. */
  deepen(remote: string, commits: number): Promise<void>;
  /** Fetches the whole remaining history. */
  unshallow(remote: string): Promise<void>;
}

/**
 * The range to compare. `compare`: a pull request or `alchkit matrix --base`, diffed from the merge base like
 * GitHub's "Files changed" tab. `push`: the commits a push added (`before`..`after`); an all-zero `before`
 * is a new branch, which has no previous state, so everything counts as changed.
 */
export type ChangeRange =
  | { kind: "compare"; base: string; head: string }
  | { kind: "push"; before: string; after: string }
  | { kind: "everything"; reason: string };

export interface ChangedFilesOptions {
  /** Deepening steps tried before fetching the full history (each doubles: 50, 100, 200, …). */
  deepenSteps?: number;
  log?: (message: string) => void;
}

const ZERO_SHA = /^0{40}$|^0{64}$/;

/** Lists what a range changed, fetching missing history from the remote in a shallow clone. */
export async function changedFiles(git: GitPort, range: ChangeRange, options: ChangedFilesOptions = {}): Promise<ChangeSet> {
  if (range.kind === "everything") return { files: [], everything: range.reason };
  if (range.kind === "push" && ZERO_SHA.test(range.before)) {
    return { files: [], everything: "a new branch was pushed: there is no previous state to compare with" };
  }
  const [baseName, headName] = range.kind === "compare" ? ["base", "head"] : ["before", "after"];
  const baseRef = range.kind === "compare" ? range.base : range.before;
  const headRef = range.kind === "compare" ? range.head : range.after;
  const log = options.log ?? (() => {});
  // A ref is never an option: "--output=…" or "--upload-pack=…" must not reach git's command line as one.
  for (const [name, ref] of [[baseName, baseRef], [headName, headRef]] as const) {
    if (ref.startsWith("-") || ref.length === 0) throw new InputError(name, "a commit SHA or ref name", `"${ref}"`);
  }

  // Usual case first: both commits are here and share history — one git call, nothing to fetch.
  const direct = await git.diffSinceMergeBase(baseRef, headRef);
  if (direct) return { files: direct };

  const head = await ensureCommit(git, headRef, headName, log);
  const base = await ensureCommit(git, baseRef, baseName, log);
  const mergeBase = await findMergeBase(git, base, head, { baseName, baseRef, headRef }, options.deepenSteps ?? 4, log);
  return { files: await git.diff(mergeBase, head) };
}

async function ensureCommit(git: GitPort, ref: string, name: string, log: (m: string) => void): Promise<string> {
  const found = await git.resolveCommit(ref);
  if (found) return found;
  const remote = await git.remote();
  if (remote) {
    log(`fetching ${name} ${ref} from ${remote}`);
    try {
      await git.fetchCommit(remote, ref);
    } catch {
      // Reported below with what to do.
    }
    const fetched = await git.resolveCommit(ref) ?? (await git.resolveCommit(`${remote}/${ref}`));
    if (fetched) return fetched;
  }
  const shallow = await git.isShallow();
  throw new InputError(
    name,
    "a commit or ref present in the repository",
    `"${ref}" is not in this ${shallow ? "shallow clone" : "clone"}${remote ? ` nor fetchable from ${remote}` : " and there is no remote to fetch it from"}; ` +
      `fetch it first (git fetch origin ${ref}${shallow ? ", or git fetch --unshallow; in a workflow, actions/checkout with fetch-depth: 0" : ""})`,
  );
}

async function findMergeBase(
  git: GitPort,
  base: string,
  head: string,
  names: { baseName: string; baseRef: string; headRef: string },
  deepenSteps: number,
  log: (m: string) => void,
): Promise<string> {
  let found = await git.mergeBase(base, head);
  if (found) return found;
  if (!(await git.isShallow())) {
    throw new InputError(
      names.baseName,
      `a commit that shares history with ${names.headRef}`,
      `${names.baseRef} and ${names.headRef} have no common ancestor`,
    );
  }
  const remote = await git.remote();
  if (!remote) {
    throw new InputError(
      names.baseName,
      "a clone with enough history to find the merge base",
      `this is a shallow clone without a remote to deepen from; fetch the history of both ${names.baseRef} and ${names.headRef} (git fetch --unshallow, or actions/checkout with fetch-depth: 0)`,
    );
  }
  for (let step = 0, commits = 50; step < deepenSteps && !found; step++, commits *= 2) {
    log(`shallow clone: no merge base of ${names.baseRef} and ${names.headRef} yet; deepening by ${commits} commits`);
    await git.deepen(remote, commits);
    found = await git.mergeBase(base, head);
  }
  if (!found && (await git.isShallow())) {
    log("shallow clone: fetching the full history");
    await git.unshallow(remote);
    found = await git.mergeBase(base, head);
  }
  if (found) return found;
  throw new InputError(
    names.baseName,
    `a commit that shares history with ${names.headRef}`,
    `${names.baseRef} and ${names.headRef} have no common ancestor even with the full history of ${remote}`,
  );
}
