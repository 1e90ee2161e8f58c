// Offline equivalent of actions/checkout (see action.yml). Same git plumbing as the real action: init, fetch of
// exactly what is needed (a SHA, a branch, a tag, a pull request ref; everything with fetch-depth 0), detached
// HEAD for SHAs and pull request refs, a local branch for branches.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { booleanInput, getState, info, input, refuseUnknownInputs, runStep, saveState, setOutput } from "../shared/action-io.ts";

const KNOWN = ["repository", "ref", "token", "path", "fetch-depth", "filter", "persist-credentials", "clean", "fetch-tags"];

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

const isSha = (ref: string) => /^[0-9a-f]{40}$/i.test(ref);

/** What to fetch and what to check out for a ref (and the commit the event names, for the workflow's repository). */
function plan(ref: string, commit: string): { refspecs: string[]; checkout: string[] } {
  if (isSha(ref)) return { refspecs: [`+${ref}:refs/remotes/origin/${ref}`], checkout: ["--detach", ref] };
  if (ref.startsWith("refs/pull/")) {
    const local = ref.replace(/^refs\//, "refs/remotes/");
    return { refspecs: [`+${commit || ref}:${local}`], checkout: ["--detach", local] };
  }
  if (ref.startsWith("refs/tags/")) return { refspecs: [`+${commit || ref}:${ref}`], checkout: ["--detach", ref] };
  const branch = ref.replace(/^refs\/heads\//, "");
  const remote = `refs/remotes/origin/${branch}`;
  return { refspecs: [`+${commit || `refs/heads/${branch}`}:${remote}`], checkout: ["-B", branch, remote] };
}

async function main(): Promise<void> {
  refuseUnknownInputs("actions/checkout", KNOWN);
  const workspace = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const dir = path.resolve(workspace, input("path") || ".");
  if (dir !== workspace && !dir.startsWith(workspace + path.sep)) throw new Error(`Repository path '${dir}' is not under '${workspace}'`);
  const repository = input("repository") || process.env.GITHUB_REPOSITORY || "";
  const server = (process.env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/$/, "");
  const depth = Number(input("fetch-depth") || "1");
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`Input fetch-depth: expected a whole number, got "${input("fetch-depth")}"`);

  let ref = input("ref");
  let commit = "";
  const ownRepository = repository.toLowerCase() === (process.env.GITHUB_REPOSITORY ?? "").toLowerCase();
  if (!ref && ownRepository) {
    ref = process.env.GITHUB_REF ?? "";
    commit = process.env.GITHUB_SHA ?? "";
  }

  mkdirSync(dir, { recursive: true });
  const url = `${server}/${repository}`;
  if (existsSync(path.join(dir, ".git"))) {
    if (booleanInput("clean", true)) {
      git(dir, "clean", "-ffdx");
      git(dir, "reset", "--hard", "HEAD");
    }
    git(dir, "remote", "set-url", "origin", url);
  } else {
    git(dir, "init", "--quiet");
    git(dir, "remote", "add", "origin", url);
  }
  git(dir, "config", "--local", "gc.auto", "0");
  if (!ref) ref = git(dir, "ls-remote", "--symref", "origin", "HEAD").match(/^ref: (\S+)\s+HEAD/m)?.[1] ?? "refs/heads/main";

  const fetch = ["-c", "protocol.version=2", "fetch", "--no-tags", "--prune", "--no-recurse-submodules"];
  if (input("filter")) fetch.push(`--filter=${input("filter")}`);
  const wanted = plan(ref, commit);
  if (depth === 0) {
    git(dir, ...fetch, "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*");
    // Then exactly the commit asked for (a SHA or pull request ref is not among the branches; a branch may have
    // moved on since the event).
    git(dir, ...fetch, "origin", ...wanted.refspecs);
  } else {
    if (booleanInput("fetch-tags", false)) fetch.splice(fetch.indexOf("--no-tags"), 1);
    git(dir, ...fetch, `--depth=${depth}`, "origin", ...wanted.refspecs);
  }
  git(dir, "checkout", "--quiet", "--force", ...wanted.checkout);

  if (booleanInput("persist-credentials", true)) {
    const basic = Buffer.from(`x-access-token:${input("token")}`).toString("base64");
    git(dir, "config", "--local", `http.${server}/.extraheader`, `AUTHORIZATION: basic ${basic}`);
    saveState("credentials-dir", dir);
  }
  const head = git(dir, "rev-parse", "HEAD");
  info(`Checked out ${repository}@${ref} (${head}) into ${dir}`);
  setOutput("ref", ref);
  setOutput("commit", head);
}

/** Post step: the persisted token leaves the repository's configuration, as the real action's post does. */
function post(): void {
  const dir = getState("credentials-dir");
  if (!dir || !existsSync(path.join(dir, ".git"))) return;
  const server = (process.env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/$/, "");
  try {
    git(dir, "config", "--local", "--unset-all", `http.${server}/.extraheader`);
  } catch {
    // already gone
  }
}

await runStep(getState("phase") === "main" ? post : async () => (saveState("phase", "main"), main()));
