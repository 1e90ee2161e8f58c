// What GitHub knows after a push: the commits of a real git repository (their real SHAs, trees and messages)
// and its branches and tags, copied into a stand-in repository. Tests that run real git (promotion worktrees,
// workflows under act) call it after every push so API answers (commits, compare, contents, deployments by SHA)
// agree with the checkout.
import { execFileSync } from "node:child_process";
import type { GitHubStandIn } from "./server.ts";
import type { BlobRecord, RepoRecord } from "./state.ts";

const FIELD = "\x1f";
const RECORD = "\x1e";

function git(gitDir: string, args: string[], input?: string): Buffer {
  return execFileSync("git", args, { cwd: gitDir, maxBuffer: 256 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
}

/** Blob contents by SHA, read in one `git cat-file --batch`. */
function readBlobs(gitDir: string, shas: string[]): Map<string, Buffer> {
  const out = git(gitDir, ["cat-file", "--batch"], `${shas.join("\n")}\n`);
  const blobs = new Map<string, Buffer>();
  let at = 0;
  for (const sha of shas) {
    const newline = out.indexOf(0x0a, at);
    const [, , size] = out.toString("utf8", at, newline).split(" ");
    const start = newline + 1;
    blobs.set(sha, out.subarray(start, start + Number(size)));
    at = start + Number(size) + 1;
  }
  return blobs;
}

/**
 * Copies every commit reachable from the repository's branches and tags (and `refs/pull/*`) into `fullName`
 * of the stand-in, then points the stand-in's branches and tags where git's are. Commits already there are
 * kept; running it after each push adds what the push brought.
 */
export function mirrorGitRepository(gh: GitHubStandIn, fullName: string, gitDir: string): RepoRecord {
  const repo = gh.state.repo(fullName);
  if (!repo) throw new Error(`GitHub stand-in: no repository ${fullName} to mirror into`);
  const log = git(gitDir, ["log", "--all", "--reverse", "--topo-order", `--format=%H${FIELD}%P${FIELD}%T${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%cn${FIELD}%ce${FIELD}%cI${FIELD}%B${RECORD}`]).toString("utf8");
  const blobs = new Map<string, BlobRecord>();
  for (const record of log.split(RECORD).map((r) => r.replace(/^\n/, "")).filter(Boolean)) {
    const [sha, parents, treeSha, an, ae, ad, cn, ce, cd, message] = record.split(FIELD) as [string, string, string, string, string, string, string, string, string, string];
    if (repo.commits.has(sha)) continue;
    const entries = git(gitDir, ["ls-tree", "-r", "-z", sha])
      .toString("utf8")
      .split("\0")
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split("\t") as [string, string];
        return { path, sha: meta.split(" ")[2]! };
      });
    const missing = [...new Set(entries.map((e) => e.sha).filter((s) => !blobs.has(s)))];
    for (const [blobSha, content] of readBlobs(gitDir, missing)) blobs.set(blobSha, { sha: blobSha, content });
    const utc = (date: string) => new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
    repo.commits.set(sha, {
      sha,
      parents: parents ? parents.split(" ") : [],
      message: message.replace(/\n+$/, ""),
      author: { name: an, email: ae, date: utc(ad) },
      committer: { name: cn, email: ce, date: utc(cd) },
      authorLogin: null,
      tree: new Map(entries.map((e) => [e.path, blobs.get(e.sha)!])),
      treeSha,
    });
  }
  const refs = git(gitDir, ["for-each-ref", "--format=%(refname) %(objectname) %(*objectname)", "refs/heads", "refs/tags"]).toString("utf8");
  for (const line of refs.split("\n").filter(Boolean)) {
    const [ref, object, peeled] = line.split(" ") as [string, string, string | undefined];
    repo.refs.set(ref, peeled || object);
  }
  return repo;
}
