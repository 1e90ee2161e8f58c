/**
 * The environment the kit hands to code it starts: Alchemy (and through it the app's alchemy.run.ts), k6, and
 * the app's own commands (package scripts, an OpenAPI command). Allow-listed, never the runner's whole
 * environment: an action's process also holds its inputs (`INPUT_GITHUB-TOKEN`), the runner's own tokens
 * (`ACTIONS_RUNTIME_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, the cache service's), and the file commands
 * (`GITHUB_ENV`, `GITHUB_PATH`, `GITHUB_OUTPUT`) through which a program could change every later step.
 * This module alone decides what passes; a user adds names with `ALCHKIT_PASS_ENV` (comma separated).
 */
export type ChildPurpose = "alchemy" | "k6" | "app";

/** What any program needs to run: where things are, locale, proxies and certificates, CI markers. */
const SYSTEM = new Set([
  "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TMP", "TEMP", "TERM", "COLORTERM",
  "NO_COLOR", "FORCE_COLOR", "CI", "DO_NOT_TRACK", "NODE_ENV", "NODE_OPTIONS", "BUN_OPTIONS", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR",
  "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "NODE_USE_ENV_PROXY", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
  "COREPACK_HOME", "COREPACK_ENABLE_DOWNLOAD_PROMPT", "PNPM_HOME", "BUN_INSTALL",
  // Windows
  "SYSTEMROOT", "SYSTEMDRIVE", "COMSPEC", "PATHEXT", "WINDIR", "APPDATA", "LOCALAPPDATA", "USERPROFILE", "HOMEDRIVE", "HOMEPATH",
  "PROGRAMDATA", "PROGRAMFILES", "PROGRAMFILES(X86)", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "OS",
  // The run's facts, none of them a credential or a file command.
  "GITHUB_ACTIONS", "GITHUB_REPOSITORY", "GITHUB_REPOSITORY_OWNER", "GITHUB_SHA", "GITHUB_REF", "GITHUB_REF_NAME", "GITHUB_REF_TYPE",
  "GITHUB_HEAD_REF", "GITHUB_BASE_REF", "GITHUB_RUN_ID", "GITHUB_RUN_NUMBER", "GITHUB_RUN_ATTEMPT", "GITHUB_SERVER_URL", "GITHUB_API_URL",
  "GITHUB_GRAPHQL_URL", "GITHUB_ACTOR", "GITHUB_EVENT_NAME", "GITHUB_WORKFLOW", "GITHUB_JOB", "GITHUB_WORKSPACE",
  "RUNNER_OS", "RUNNER_ARCH", "RUNNER_TEMP", "RUNNER_TOOL_CACHE", "RUNNER_NAME", "RUNNER_ENVIRONMENT", "RUNNER_DEBUG",
]);

/** Per purpose: the prefixes and names it needs on top of SYSTEM. */
const PURPOSE: Record<ChildPurpose, { prefixes: readonly string[]; names: readonly string[] }> = {
  // Alchemy's own settings and the Cloudflare credentials it deploys with; the kit's variables for the app.
  alchemy: { prefixes: ["ALCHEMY_", "CLOUDFLARE_", "CF_", "MINIFLARE_"], names: ["ALCHKIT_DEV_PORT", "BUILD_ID"] },
  k6: { prefixes: ["K6_"], names: [] },
  app: { prefixes: [], names: [] },
};

export const PASS_ENV_VARIABLE = "ALCHKIT_PASS_ENV";

/** Names in `ALCHKIT_PASS_ENV` (comma or whitespace separated). */
export function passedNames(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env[PASS_ENV_VARIABLE] ?? "").split(/[\s,]+/).filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
}

/** Whether a variable reaches a child of this purpose. Windows names are case-insensitive. */
export function allowedName(name: string, purpose: ChildPurpose, passed: readonly string[] = []): boolean {
  const upper = name.toUpperCase();
  if (SYSTEM.has(upper) || SYSTEM.has(name)) return true;
  const rule = PURPOSE[purpose];
  if (rule.names.includes(name) || rule.prefixes.some((prefix) => name.startsWith(prefix))) return true;
  return passed.includes(name);
}

/**
 * Node copies NODE_V8_COVERAGE into the environment of every process it spawns unless that environment names
 * it, so the allow-list alone would not keep it out: Alchemy's processes then write V8 coverage when they exit,
 * megabytes each, and one stopped by signal while writing leaves a truncated file that breaks the coverage
 * report of whoever ran the kit under coverage. No code of the kit's runs in them; they get it empty (= off),
 * unless ALCHKIT_PASS_ENV names it.
 */
const NOT_INHERITED: Record<ChildPurpose, Readonly<Record<string, string>>> = {
  alchemy: { NODE_V8_COVERAGE: "" },
  k6: {},
  app: {},
};

/** The allow-listed copy of `env` for a child of this purpose; `extra` (the kit's own variables) always passes. */
export function childEnv(
  env: Readonly<Record<string, string | undefined>>,
  purpose: ChildPurpose,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const passed = passedNames(env);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && allowedName(name, purpose, passed)) out[name] = value;
  }
  for (const [name, off] of Object.entries(NOT_INHERITED[purpose])) if (!(name in out)) out[name] = off;
  return { ...out, ...extra };
}

/**
 * `env` with the kit's own variables for the app (`BUILD_ID`, `APP_VARIANT`, …) added and named in
 * `ALCHKIT_PASS_ENV`, so they reach the app through `childEnv` wherever it is applied.
 */
export function withVars(env: Readonly<Record<string, string | undefined>>, vars: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const names = Object.keys(vars);
  if (names.length === 0) return { ...env };
  return { ...env, ...vars, [PASS_ENV_VARIABLE]: [...passedNames(env), ...names].join(",") };
}
