// The runner protocol for the offline equivalents of third-party actions: inputs from INPUT_*, outputs, PATH
// additions and state through the runner's files, annotations as workflow commands. Node built-ins only: act
// copies an action's folder and nothing else, so these files cannot reach the kit's node_modules.
import { appendFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

/** Name of the environment variable the runner sets for an input (GitHub's mangling: upper case, spaces → `_`). */
const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;

export function input(name: string): string {
  return (process.env[inputVariable(name)] ?? "").trim();
}

/** A multi-line input: one entry per non-empty line. */
export function inputLines(name: string): string[] {
  return (process.env[inputVariable(name)] ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = input(name).toLowerCase();
  if (value === "") return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new Error(`Input ${name}: expected true or false, got "${value}"`);
}

/**
 * Fails on an input the equivalent does not implement: act sets `INPUT_<NAME>` for every `with:` key, so a
 * workflow that starts relying on an option of the real action is caught here instead of silently ignored.
 */
export function refuseUnknownInputs(action: string, known: readonly string[]): void {
  const allowed = new Set(known.map(inputVariable));
  const unknown = Object.keys(process.env).filter((key) => key.startsWith("INPUT_") && !allowed.has(key) && process.env[key] !== "");
  if (unknown.length > 0) {
    throw new Error(`${action} (offline equivalent) does not implement ${unknown.map((k) => k.slice(6).toLowerCase()).join(", ")}`);
  }
}

function fileCommand(variable: string, name: string, value: string): void {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set: not running under a runner`);
  const delimiter = `ghadelimiter_${randomBytes(8).toString("hex")}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

export function setOutput(name: string, value: string): void {
  fileCommand("GITHUB_OUTPUT", name, value);
}

export function saveState(name: string, value: string): void {
  fileCommand("GITHUB_STATE", name, value);
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? "";
}

export function addPath(dir: string): void {
  const file = process.env.GITHUB_PATH;
  if (!file) throw new Error("GITHUB_PATH is not set: not running under a runner");
  appendFileSync(file, `${dir}\n`);
}

const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

export const info = (message: string) => process.stdout.write(`${message}\n`);
export const warning = (message: string) => process.stdout.write(`::warning::${escapeData(message)}\n`);

/** Runs an action's main (or post) body: an error becomes an `::error::` annotation and exit code 1. */
export async function runStep(body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (error) {
    process.stdout.write(`::error::${escapeData(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 1;
  }
}

/** The run's identity for the results service (artifacts), from the runtime token's `scp` claim as GitHub mints it. */
export function backendIds(): { workflowRunBackendId: string; workflowJobRunBackendId: string } {
  const token = process.env.ACTIONS_RUNTIME_TOKEN;
  if (!token) throw new Error("ACTIONS_RUNTIME_TOKEN is not set: the runner offers no artifact service (act: --artifact-server-path)");
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { scp?: string };
  for (const scope of (payload.scp ?? "").split(" ")) {
    const [kind, run, job] = scope.split(":");
    if (kind === "Actions.Results" && run && job) return { workflowRunBackendId: run, workflowJobRunBackendId: job };
  }
  throw new Error("the runtime token carries no Actions.Results scope");
}

/** One call of the results service's Twirp JSON API (artifacts v4). */
export async function resultsCall<T>(method: string, body: Record<string, unknown>): Promise<T> {
  const base = process.env.ACTIONS_RESULTS_URL;
  if (!base) throw new Error("ACTIONS_RESULTS_URL is not set: the runner offers no artifact service");
  const url = new URL(`twirp/github.actions.results.api.v1.ArtifactService/${method}`, base.endsWith("/") ? base : `${base}/`);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${process.env.ACTIONS_RUNTIME_TOKEN ?? ""}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method}: the artifact service answered ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * The run's artifacts (of one name, when given). act's server drops the connection instead of answering an
 * empty list while the run has no artifact at all (its folder does not exist yet): that is an empty list.
 */
export async function listArtifacts(ids: ReturnType<typeof backendIds>, name?: string): Promise<Array<{ name: string }>> {
  try {
    return (await resultsCall<{ artifacts?: Array<{ name: string }> }>("ListArtifacts", { ...ids, ...(name ? { nameFilter: name } : {}) })).artifacts ?? [];
  } catch (error) {
    if (error instanceof TypeError && /fetch failed/.test(error.message)) return [];
    throw error;
  }
}
