// What act resolves `uses:` to, offline: `alchkit/alchkit@<ref>` → a copy of the kit's working tree, and every
// third-party action the kit's workflows and actions use → the offline equivalent in test/act/actions/.
// act's --local-repository copies the whole folder it is given for every step that uses it, so the kit's copy
// holds the working tree's files (tracked and new, not ignored: no node_modules), not the clone itself.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { repoRoot } from "../harness/run-action.ts";

const EQUIVALENTS = path.join(repoRoot, "test/act/actions");

/** `owner/name@ref` of every third-party action the kit's workflows and actions use, with where it is used. */
export function thirdPartyUses(root = repoRoot): Map<string, string[]> {
  const files = [
    ...readdirSync(path.join(root, ".github/workflows")).filter((f) => /\.ya?ml$/.test(f)).map((f) => `.github/workflows/${f}`),
    "action.yml",
    ...readdirSync(path.join(root, "actions"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `actions/${d.name}/action.yml`),
  ];
  const uses = new Map<string, string[]>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.join(root, file), "utf8");
    } catch {
      continue;
    }
    for (const match of text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@([\w.-]+)/g)) {
      const [, repo, ref] = match as unknown as [string, string, string];
      if (repo.toLowerCase() === "alchkit/alchkit") continue;
      const key = `${repo}@${ref}`;
      uses.set(key, [...(uses.get(key) ?? []), file]);
    }
  }
  return uses;
}

/**
 * One equivalent as act needs it: a folder with its action.yml at the root. The equivalents share code
 * (test/act/actions/shared/), so the folder holds the whole test/act/actions/ tree and an action.yml whose
 * entry points are rewritten to `<name>/main.ts`.
 */
function assembleEquivalent(name: string, into: string): string {
  const dir = path.join(into, name);
  cpSync(EQUIVALENTS, dir, { recursive: true });
  const manifest = parse(readFileSync(path.join(EQUIVALENTS, name, "action.yml"), "utf8")) as { runs: Record<string, string> };
  for (const key of ["main", "pre", "post"]) if (manifest.runs[key]) manifest.runs[key] = `${name}/${manifest.runs[key]}`;
  writeFileSync(path.join(dir, "action.yml"), stringify(manifest));
  return dir;
}

/** Copies the kit's working tree (tracked files and new ones git does not ignore) into `dir`. */
export function copyWorkingTree(dir: string, root = repoRoot): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      cpSync(path.join(root, file), target);
    } catch (error) {
      // A tracked file deleted in the working tree is not part of it.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

/**
 * The `--local-repository` arguments for a run: the kit at each ref its workflows are called with, and an
 * equivalent for each third-party action. A third-party action without an equivalent is an error naming it.
 */
export function localRepositories(into: string, kitRefs: readonly string[]): string[] {
  const kit = path.join(into, "alchkit");
  copyWorkingTree(kit);
  const args = kitRefs.map((ref) => `alchkit/alchkit@${ref}=${kit}`);
  const available = new Set(readdirSync(EQUIVALENTS).filter((d) => d !== "shared"));
  const missing: string[] = [];
  for (const [uses, where] of thirdPartyUses()) {
    const [repo] = uses.split("@") as [string];
    const [owner, name] = repo.split("/") as [string, string];
    if (owner !== "actions" || !available.has(name)) {
      missing.push(`${uses} (${where.join(", ")})`);
      continue;
    }
    args.push(`${uses}=${assembleEquivalent(name, path.join(into, "equivalents", uses.replace(/[^\w.-]+/g, "-")))}`);
  }
  if (missing.length > 0) throw new Error(`no offline equivalent in test/act/actions/ for ${missing.join("; ")}`);
  return args;
}
