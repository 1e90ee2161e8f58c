// GitHub's REST API descriptions shipped in @octokit/openapi, in release order: the GHES versions, then
// GHEC and api.github.com (the cloud descriptions GHES releases are cut from). Consecutive pairs are real,
// large (≈11–14 MB each) and full of changes of every kind.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./alchkit.ts";

export const GHES_DIR = join(repoRoot, "node_modules", "@octokit", "openapi", "generated");

/** Every description in chain order: ghes-3.x ascending, then ghec, then api.github.com. */
export function githubDescriptions(): string[] {
  if (!existsSync(GHES_DIR)) return [];
  const ghes = readdirSync(GHES_DIR)
    .map((name) => /^ghes-(\d+)\.(\d+)\.json$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]))
    .map((m) => m[0]);
  const cloud = ["ghec.json", "api.github.com.json"].filter((name) => existsSync(join(GHES_DIR, name)));
  return [...ghes, ...cloud].map((name) => join(GHES_DIR, name));
}

/** Consecutive pairs of the chain. */
export function githubChain(): Array<[base: string, revision: string]> {
  const files = githubDescriptions();
  return files.slice(1).map((file, i) => [files[i]!, file]);
}

/** The pair the test suite diffs (the whole chain is in bench/openapi-diff.ts): the newest GHES release step. */
export function ghesSample(): [string, string] | undefined {
  const ghes = githubDescriptions().filter((file) => /ghes-\d+\.\d+\.json$/.test(file));
  return ghes.length >= 2 ? [ghes.at(-2)!, ghes.at(-1)!] : undefined;
}

export const shortName = (file: string) => file.slice(file.lastIndexOf("/") + 1).replace(/\.json$/, "");
