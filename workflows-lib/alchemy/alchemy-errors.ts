/**
 * Alchemy reports failures as free text on stderr. These rules turn the common ones into one message that
 * says what to do; anything unknown keeps the last lines of Alchemy's own output.
 */
import { MIN_NODE_SHORT, nodeSupported, RECOMMENDED_NODE_MAJOR } from "../platform/node-support.ts";

export interface FailureContext {
  command: string;
  stage?: string;
  profile?: string;
  envFile?: string;
  /** Alchemy's output was shown as it came (on a terminal): the message names the error instead of repeating it. */
  streamed?: boolean;
}

export class AlchemyError extends Error {
  /** Last lines of Alchemy's output, secrets redacted. */
  readonly output: string;
  constructor(message: string, output = "") {
    super(message);
    this.name = "AlchemyError";
    this.output = output;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
export const stripAnsi = (text: string): string => text.replace(ANSI, "");

/** Replaces every occurrence of each secret (at least 4 characters) with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("***");
  }
  return out;
}

interface Rule {
  test: RegExp;
  message: (match: RegExpMatchArray, context: FailureContext) => string;
}

const RULES: Rule[] = [
  {
    test: /Provider "cloudflare" not found in profile "([^"]+)"|Credentials not found for provider "cloudflare" and profile "([^"]+)"/,
    message: (m) =>
      `Alchemy profile "${m[1] ?? m[2]}" has no Cloudflare credentials on this machine. Write it with ` +
      `\`alchkit profile set --profile ${m[1] ?? m[2]} --api-token … --account-id …\` (in a workflow: the setup action ` +
      "with the CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID secrets).",
  },
  {
    test: /No credentials found\. Please run `alchemy login`/,
    message: (_m, c) =>
      c.profile
        ? `Alchemy found no Cloudflare credentials for profile "${c.profile}". Write the profile with ` +
          `\`alchkit profile set --profile ${c.profile} --api-token … --account-id …\`, or pass the setup action ` +
          "the CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID secrets."
        : "Alchemy found no Cloudflare credentials. Give the workflow the CLOUDFLARE_API_TOKEN and " +
          "CLOUDFLARE_ACCOUNT_ID secrets (the setup action writes them into an Alchemy profile), or pass --profile " +
          "with a profile written by `alchkit profile set`.",
  },
  {
    test: /running Alchemy in a CI environment with the default local state store/,
    message: () =>
      "Alchemy refuses to run in CI with its local state store: the state would be lost with the runner and " +
      "leave orphaned Workers. Configure a persistent store in alchemy.run.ts, e.g. " +
      "`alchemy(\"my-app\", { stateStore: (scope) => new CloudflareStateStore(scope) })` and give the job the " +
      "ALCHEMY_STATE_TOKEN and ALCHEMY_PASSWORD secrets (see https://alchemy.run/concepts/state/). Set " +
      "ALCHEMY_CI_STATE_STORE_CHECK=false only for throwaway stages.",
  },
  {
    test: /Missing token for (?:CloudflareStateStore|DOStateStore)/,
    message: () =>
      "The app keeps its Alchemy state in Cloudflare (CloudflareStateStore) but ALCHEMY_STATE_TOKEN is not set: " +
      "give the job the ALCHEMY_STATE_TOKEN secret (a long random string, the same on every run and for every app " +
      "of the account).",
  },
  {
    test: /\[CloudflareStateStore\] The token is invalid/,
    message: () =>
      "Alchemy's state store in Cloudflare (the alchemy-state-service Worker) rejected ALCHEMY_STATE_TOKEN: the secret " +
      "must hold the token the store was created with, the same for every app and workflow of the account.",
  },
  {
    test: /Cannot (?:de)?serialize secret without password/,
    message: () =>
      "The app uses alchemy.secret() but no password was given: set the ALCHEMY_PASSWORD secret (the same " +
      "value every run, or existing state cannot be decrypted).",
  },
  {
    test: /Environment file (\S+) does not exist/,
    message: (m) => `The env file ${m[1]} does not exist (given with --env-file).`,
  },
  {
    test: /No alchemy\.run\.ts or alchemy\.run\.js file found/,
    message: () => "No alchemy.run.ts (or .js/.mts/.mjs) in the app directory: pass --cwd with the app's directory.",
  },
  {
    test: /Authentication error|Invalid API Token|code":\s*10000/,
    message: (_m, c) =>
      c.profile
        ? `Cloudflare rejected the API token of profile "${c.profile}": write the profile again with a valid token ` +
          "for its account (`alchkit profile set`), one with Workers Scripts:Edit permission."
        : "Cloudflare rejected the API token in CLOUDFLARE_API_TOKEN: check that the secret holds a valid token " +
          "of the account in CLOUDFLARE_ACCOUNT_ID, with Workers Scripts:Edit permission.",
  },
  {
    test: /EADDRINUSE[^\n]*?:(\d+)/,
    message: (m) => `Port ${m[1]} is already in use: stop what listens there or let alchkit choose a free port.`,
  },
];

const ERROR_LINE = /^\s*(?:Uncaught )?(?:[A-Z][\w$]*)?(?:Error|Exception)(?: \[[\w-]+\])?: \S/;

/**
 * The error Alchemy's output ends with and where the app threw it (the first stack frame outside node_modules
 * and Node's internals): `Error: Secret cannot be undefined (at alchemy.run.ts:10)`.
 */
export function errorOf(text: string): string | undefined {
  const lines = stripAnsi(text).split("\n");
  let at = -1;
  for (let i = lines.length - 1; i >= 0 && at < 0; i--) if (ERROR_LINE.test(lines[i]!)) at = i;
  if (at < 0) return undefined;
  const error = lines[at]!.trim();
  const frame = lines
    .slice(at + 1, at + 40)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("at "))
    .find((line) => !/node_modules|node:internal|\(node:/.test(line));
  const place = frame?.match(/(?:file:\/\/)?([^\s()]+?):(\d+):\d+\)?$/);
  return place ? `${error} (at ${place[1]!.split("/").pop()}:${place[2]})` : error;
}

/** Alchemy's own chatter around a failure of `alchemy dev`, which says nothing about it. */
const NOISE = [/^Failed running '.*'\. Waiting for file changes before restarting\.\.\.$/, /^WARN Development mode is in beta\./];

/**
 * One message with the likely cause. Otherwise: the error and where it was thrown, then the last lines of the
 * output, unless they were streamed already (`context.streamed`): Alchemy's stack is printed once. A process
 * stopped by alchkit (alchemy dev waits for file changes after a failure) has no exit code to show.
 */
export function explainFailure(output: string, exitCode: number | null, context: FailureContext): string {
  const text = stripAnsi(output);
  const head = `alchemy ${context.command} failed${context.stage ? ` for stage ${context.stage}` : ""}`;
  for (const rule of RULES) {
    const match = text.match(rule.test);
    if (match) return `${head}: ${rule.message(match, context)}`;
  }
  const exit = exitCode === null ? "" : ` (exit ${exitCode})`;
  const error = errorOf(text);
  if (context.streamed) return `${head}${exit}: ${error ?? "see Alchemy's output above"}${error ? " (Alchemy's output is above)" : ""}`;
  const quiet = text
    .split("\n")
    .filter((line) => !NOISE.some((noise) => noise.test(line.trim())))
    .join("\n");
  const tail = lastLines(quiet, 12);
  return `${head}${exit}${error ? `: ${error}` : ""}${tail ? `:\n${tail}` : ""}`;
}

export function lastLines(text: string, count: number): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "")
    .slice(-count)
    .join("\n");
}

/** Alchemy's CLI needs Node 22.6 or later (it runs alchemy.run.ts with type stripping): MIN_NODE_VERSION. */
export function checkNodeVersion(version: string): string | undefined {
  if (nodeSupported(version)) return undefined;
  return `Alchemy needs Node ${MIN_NODE_SHORT} or later (found ${version}). In a workflow use the setup action (it installs Node ${RECOMMENDED_NODE_MAJOR}); locally install Node ${RECOMMENDED_NODE_MAJOR}.`;
}
