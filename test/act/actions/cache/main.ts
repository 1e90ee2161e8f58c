// Offline equivalent of actions/cache (see action.yml): tar.gz archives through the runner's cache service.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { booleanInput, getState, info, input, inputLines, refuseUnknownInputs, runStep, saveState, setOutput, warning } from "../shared/action-io.ts";

const ACCEPT = "application/json;api-version=6.0-preview.1";

function service(): string | undefined {
  const url = process.env.ACTIONS_CACHE_URL;
  return url ? (url.endsWith("/") ? url : `${url}/`) : undefined;
}

const headers = (extra: Record<string, string> = {}) => ({ accept: ACCEPT, authorization: `Bearer ${process.env.ACTIONS_RUNTIME_TOKEN ?? ""}`, ...extra });

/** Paths as given (`~` expanded); archives hold them relative to the workspace, as the real action's do. */
function cachePaths(): string[] {
  const paths = inputLines("path").map((p) => (p === "~" || p.startsWith("~/") ? path.join(homedir(), p.slice(1)) : p));
  if (paths.length === 0) throw new Error("Input required and not supplied: path");
  for (const p of paths) if (/[*?[\]!]/.test(p)) throw new Error(`path "${p}": this offline equivalent caches plain paths, not glob patterns`);
  return paths;
}

/** The entry's version: the paths and the compression, so a different path list never restores this archive. */
const versionOf = (paths: string[]) => createHash("sha256").update([...paths, "gzip"].join("|")).digest("hex");

async function restore(): Promise<void> {
  refuseUnknownInputs("actions/cache", ["path", "key", "restore-keys", "fail-on-cache-miss", "lookup-only"]);
  const key = input("key");
  if (!key) throw new Error("Input required and not supplied: key");
  const paths = cachePaths();
  const keys = [key, ...inputLines("restore-keys")];
  saveState("primary-key", key);
  const base = service();
  if (!base) {
    warning("Cache service is not available (ACTIONS_CACHE_URL is unset): nothing restored or saved.");
    setOutput("cache-hit", "false");
    return;
  }
  const lookup = new URL("_apis/artifactcache/cache", base);
  lookup.searchParams.set("keys", keys.join(","));
  lookup.searchParams.set("version", versionOf(paths));
  const found = await fetch(lookup, { headers: headers() });
  if (found.status === 204) {
    if (booleanInput("fail-on-cache-miss", false)) throw new Error(`Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${key}`);
    info(`Cache not found for input keys: ${keys.join(", ")}`);
    setOutput("cache-hit", "false");
    return;
  }
  if (!found.ok) throw new Error(`cache lookup: ${found.status} ${await found.text()}`);
  const entry = (await found.json()) as { archiveLocation: string; cacheKey: string };
  const exact = entry.cacheKey.toLowerCase() === key.toLowerCase();
  saveState("matched-key", entry.cacheKey);
  setOutput("cache-hit", String(exact));
  if (booleanInput("lookup-only", false)) {
    info(`Cache found and can be restored from key: ${entry.cacheKey}`);
    return;
  }
  const archive = await fetch(entry.archiveLocation);
  if (!archive.ok) throw new Error(`cache download: ${archive.status}`);
  const dir = mkdtempSync(path.join(process.env.RUNNER_TEMP ?? tmpdir(), "cache-"));
  try {
    const file = path.join(dir, "cache.tgz");
    writeFileSync(file, Buffer.from(await archive.arrayBuffer()));
    execFileSync("tar", ["-xzf", file, "-P", "-C", workspace()], { stdio: ["ignore", "inherit", "inherit"] });
    info(`Cache restored from key: ${entry.cacheKey} (${statSync(file).size} bytes)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const workspace = () => process.env.GITHUB_WORKSPACE ?? process.cwd();

async function save(): Promise<void> {
  const key = getState("primary-key");
  const base = service();
  if (!key || !base) return;
  if (getState("matched-key").toLowerCase() === key.toLowerCase()) {
    info(`Cache hit occurred on the primary key ${key}, not saving cache.`);
    return;
  }
  const paths = cachePaths();
  const present = paths.filter((p) => existsSync(path.resolve(workspace(), p)));
  if (present.length === 0) {
    warning("Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.");
    return;
  }
  const dir = mkdtempSync(path.join(process.env.RUNNER_TEMP ?? tmpdir(), "cache-"));
  try {
    const file = path.join(dir, "cache.tgz");
    const relative = present.map((p) => path.relative(workspace(), path.resolve(workspace(), p)));
    execFileSync("tar", ["-czf", file, "-P", "-C", workspace(), ...relative], { stdio: ["ignore", "inherit", "inherit"] });
    const body = readFileSync(file);
    const reserved = await fetch(new URL("_apis/artifactcache/caches", base), {
      method: "POST",
      headers: headers({ "content-type": "application/json" }),
      body: JSON.stringify({ key, version: versionOf(paths), cacheSize: body.length }),
    });
    if (!reserved.ok) {
      warning(`Failed to save: unable to reserve cache with key ${key} (${reserved.status} ${await reserved.text()})`);
      return;
    }
    const { cacheId } = (await reserved.json()) as { cacheId: number };
    const upload = await fetch(new URL(`_apis/artifactcache/caches/${cacheId}`, base), {
      method: "PATCH",
      headers: headers({ "content-type": "application/octet-stream", "content-range": `bytes 0-${body.length - 1}/*` }),
      body,
    });
    if (!upload.ok) throw new Error(`cache upload: ${upload.status} ${await upload.text()}`);
    const commit = await fetch(new URL(`_apis/artifactcache/caches/${cacheId}`, base), {
      method: "POST",
      headers: headers({ "content-type": "application/json" }),
      body: JSON.stringify({ size: body.length }),
    });
    if (!commit.ok) throw new Error(`cache commit: ${commit.status} ${await commit.text()}`);
    info(`Cache saved with key: ${key} (${body.length} bytes)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runStep(getState("phase") === "main" ? save : async () => (saveState("phase", "main"), restore()));
