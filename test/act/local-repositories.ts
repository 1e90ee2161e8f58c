// What act resolves `uses:` to, offline: `alchkit/alchkit@<ref>` → a copy of the kit's working tree, and every
// third-party action the kit's workflows and actions use → the offline equivalent in test/act/actions/.
// act's --local-repository copies the whole folder it is given for every step that uses it, so the kit's copy
// holds the working tree's files a step can read at runtime (kitRuntimeFiles), not the clone itself.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

/** Files of the kit's working tree: tracked ones and new ones git does not ignore (no node_modules). */
function workingTreeFiles(root: string): string[] {
  return execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((file) => file && existsSync(path.join(root, file)));
}

const ACTION_PATH_FILE = /(?:\$GITHUB_ACTION_PATH|\$\{\{\s*github\.action_path\s*\}\})\/([\w./-]+)/g;
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

/**
 * What a step of the kit can read at runtime, out of the working tree: the files at the root (action.yml,
 * package.json, which the bundles find by walking up), the workflows, every action's folder (its manifest and
 * bundle), the sources that an action's `run:` line names under `$GITHUB_ACTION_PATH` with every module they
 * import, and the policy library (found by walking up from the policy bundle). The rest — tests, docs, the
 * other sources — no step reads; leaving it out matters because act copies the folder for every step that uses
 * the kit and the cost is per file (800 files: 0.3 s a step on a quiet 2-core machine, up to 3 s on a busy one; 115 files: a tenth).
 * A step reading a file left out fails its run with ENOENT naming it: add the file's rule here.
 */
export function kitRuntimeFiles(root = repoRoot): string[] {
  const all = workingTreeFiles(root);
  const present = new Set(all);
  const picked = new Set(
    all.filter(
      (file) =>
        !file.includes("/") ||
        file.startsWith(".github/workflows/") ||
        file.startsWith("actions/") ||
        (/^workflows-lib\/policy\/library\/[\w-]+\.rego$/.test(file) && !file.endsWith("_test.rego")),
    ),
  );
  const pending: string[] = [];
  const visited = new Set<string>();
  for (const manifest of all.filter((file) => /^(actions\/[\w-]+\/)?action\.ya?ml$/.test(file))) {
    for (const match of readFileSync(path.join(root, manifest), "utf8").matchAll(ACTION_PATH_FILE)) pending.push(path.posix.join(path.posix.dirname(manifest), match[1]!));
  }
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (!present.has(file)) throw new Error(`${file}, which a kit action runs or imports, is not in the working tree`);
    if (visited.has(file)) continue;
    visited.add(file);
    picked.add(file);
    if (!/\.[cm]?[jt]s$/.test(file)) continue;
    for (const match of readFileSync(path.join(root, file), "utf8").matchAll(RELATIVE_IMPORT)) {
      const imported = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
      pending.push(imported);
    }
  }
  return [...picked].sort();
}

/** Copies what kitRuntimeFiles picks from the kit's working tree into `dir`. */
export function copyKitRuntime(dir: string, root = repoRoot): void {
  for (const file of kitRuntimeFiles(root)) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(root, file), target);
  }
}

/**
 * The `--local-repository` arguments for a run: the kit at each ref its workflows are called with, and an
 * equivalent for each third-party action. A third-party action without an equivalent is an error naming it.
 */
export function localRepositories(into: string, kitRefs: readonly string[]): string[] {
  const kit = path.join(into, "alchkit");
  copyKitRuntime(kit);
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
