import { isMap, isScalar, isSeq, parse, parseDocument, LineCounter } from "yaml";
import { BUILT_DEPENDENCIES } from "../app-templates/instantiate.ts";
import { detectPackageManager, type PackageManagerPlan } from "../setup/package-manager.ts";
import { finding, type Finding } from "./checks.ts";

/** One folder dependencies are installed in (it has the lockfile), as read from the repository. */
export interface InstallRoot {
  /** Relative to the repository root, `.` for the root. */
  directory: string;
  files: string[];
  packageJson?: string;
  pnpmWorkspace?: string;
  pnpmLock?: string;
  yarnrc?: string;
  /** The version of the package manager the repository uses now (what installed node_modules), if known. */
  versionInUse?: string;
}

const join = (dir: string, file: string) => (dir === "." ? file : `${dir}/${file}`);

/** 1-based line of `"key":` in a JSON text (the first one), 1 when absent. */
export function jsonKeyLine(text: string, key: string): number {
  const at = text.search(new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*:`));
  return at < 0 ? 1 : text.slice(0, at).split("\n").length;
}

function yamlKeyLine(text: string, key: string): number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
  const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

/** Package names in a pnpm lockfile (`packages:` keys like `workerd@1.2.3`, `/workerd@1.2.3`, `/@scope/x/1.0.0`). */
export function pnpmLockPackages(text: string): Set<string> {
  const names = new Set<string>();
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return names;
  }
  const packages = (doc as { packages?: Record<string, unknown> } | null)?.packages ?? {};
  for (const key of Object.keys(packages)) {
    const k = key.replace(/^\//, "");
    const at = k.indexOf("@", k.startsWith("@") ? 1 : 0);
    if (at > 0) names.add(k.slice(0, at));
    else {
      const parts = k.split("/");
      names.add(k.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
    }
  }
  return names;
}

const nameOf = (spec: string) => {
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  return at > 0 ? spec.slice(0, at) : spec;
};

export interface BuildSettings {
  onlyBuilt: Set<string>;
  allowBuilds: Set<string>;
  allowAll: boolean;
}

function buildSettings(root: InstallRoot): BuildSettings {
  const onlyBuilt = new Set<string>();
  const allowBuilds = new Set<string>();
  let allowAll = false;
  try {
    const manifest = root.packageJson ? (JSON.parse(root.packageJson) as { pnpm?: { onlyBuiltDependencies?: unknown; dangerouslyAllowAllBuilds?: unknown } }) : undefined;
    for (const name of Array.isArray(manifest?.pnpm?.onlyBuiltDependencies) ? manifest.pnpm.onlyBuiltDependencies : []) onlyBuilt.add(String(name));
    if (manifest?.pnpm?.dangerouslyAllowAllBuilds === true) allowAll = true;
  } catch {
    // an unreadable package.json is reported by the setup action's detection
  }
  if (root.pnpmWorkspace) {
    const doc = parseDocument(root.pnpmWorkspace);
    const only = doc.get("onlyBuiltDependencies");
    if (isSeq(only)) for (const item of only.items) if (isScalar(item)) onlyBuilt.add(String(item.value));
    const allow = doc.get("allowBuilds");
    if (isMap(allow)) for (const pair of allow.items) if (isScalar(pair.key) && isScalar(pair.value) && pair.value.value === true) allowBuilds.add(nameOf(String(pair.key.value)));
    if (doc.get("dangerouslyAllowAllBuilds") === true) allowAll = true;
  }
  return { onlyBuilt, allowBuilds, allowAll };
}

/** The pnpm major that installs `root`: the pinned one, else the one in use; undefined when unknown. */
export function pnpmMajor(root: InstallRoot, pinned: string | undefined): number | undefined {
  const version = pinned ?? root.versionInUse;
  return version ? Number(version.split(".")[0]) : undefined;
}

/**
 * What pnpm (10 and later) will not build although the lockfile has it: workerd, esbuild, sharp without an
 * allowance that version reads (`onlyBuiltDependencies` in pnpm 10, `allowBuilds` from 11). Undefined: nothing.
 */
export function blockedBuilds(root: InstallRoot, pinned: string | undefined): { major: number | undefined; missing: string[]; settings: BuildSettings; readsOnlyBuilt: boolean } | undefined {
  if (root.pnpmLock === undefined) return undefined;
  const major = pnpmMajor(root, pinned);
  if (major !== undefined && major < 10) return undefined;
  const locked = pnpmLockPackages(root.pnpmLock);
  const needed = BUILT_DEPENDENCIES.filter((name) => locked.has(name));
  const settings = buildSettings(root);
  if (settings.allowAll || needed.length === 0) return undefined;
  const readsOnlyBuilt = major === 10;
  const allowed = readsOnlyBuilt ? new Set([...settings.onlyBuilt, ...settings.allowBuilds]) : settings.allowBuilds;
  const missing = needed.filter((name) => !allowed.has(name));
  return missing.length === 0 ? undefined : { major, missing, settings, readsOnlyBuilt };
}

export function checkInstallRoot(root: InstallRoot): Finding[] {
  const findings: Finding[] = [];
  let manifest: { packageManager?: unknown; devEngines?: { packageManager?: { version?: unknown } } } | undefined;
  try {
    manifest = root.packageJson ? JSON.parse(root.packageJson) : undefined;
  } catch {
    return findings;
  }
  let plan: PackageManagerPlan;
  try {
    plan = detectPackageManager(root.files, manifest);
  } catch {
    return findings; // no lockfile or two of them: the setup action's own error says so
  }
  const packageJsonFile = join(root.directory, "package.json");
  const yarnPathPinned = plan.name === "yarn" && /^\s*yarnPath\s*:/m.test(root.yarnrc ?? "");
  const devEnginesPinned = typeof manifest?.devEngines?.packageManager?.version === "string";
  if (plan.name !== "npm" && !plan.version && !yarnPathPinned && !devEnginesPinned && root.packageJson !== undefined) {
    const version = root.versionInUse;
    findings.push(
      finding(
        "package-manager-unpinned",
        { file: packageJsonFile, line: manifest?.packageManager === undefined ? 1 : jsonKeyLine(root.packageJson, "packageManager") },
        `package.json does not pin ${plan.name}'s version: corepack and the setup action use the newest ${plan.name}, not the one this repository was installed with${version ? ` (${version})` : ""}.`,
        `Add \`"packageManager": "${plan.name}@${version ?? "<version>"}"\` to package.json${version ? "" : ` (\`${plan.name} --version\` prints it)`}; \`alchkit init\` writes it.`,
      ),
    );
  }

  if (plan.name === "pnpm" && root.pnpmLock !== undefined) {
    const blocked = blockedBuilds(root, plan.version);
    if (!blocked) return findings;
    const { major, missing, settings, readsOnlyBuilt } = blocked;
    const ignoredOnlyBuilt = !readsOnlyBuilt && missing.some((name) => settings.onlyBuilt.has(name));
    const version = major === undefined ? "the newest pnpm (the version is not pinned)" : `pnpm ${major}`;
    const workspaceFile = join(root.directory, "pnpm-workspace.yaml");
    const fix = readsOnlyBuilt
      ? `List them in package.json: \`"pnpm": { "onlyBuiltDependencies": [${[...new Set([...settings.onlyBuilt, ...missing])].map((n) => JSON.stringify(n)).join(", ")}] }\` (or \`allowBuilds\` in pnpm-workspace.yaml).`
      : `Allow them in pnpm-workspace.yaml (create it next to package.json if needed):\n\n    allowBuilds:\n${missing.map((name) => `      ${name}: true`).join("\n")}\n\n` +
        `pnpm 11 and later read only \`allowBuilds\`${ignoredOnlyBuilt ? "; `onlyBuiltDependencies` is ignored there" : ""}.`;
    const where = readsOnlyBuilt
      ? { file: packageJsonFile, line: root.packageJson ? jsonKeyLine(root.packageJson, settings.onlyBuilt.size > 0 ? "onlyBuiltDependencies" : "packageManager") : 1 }
      : { file: root.pnpmWorkspace !== undefined ? workspaceFile : packageJsonFile, line: root.pnpmWorkspace !== undefined ? (yamlKeyLine(root.pnpmWorkspace, "allowBuilds") ?? 1) : root.packageJson ? jsonKeyLine(root.packageJson, ignoredOnlyBuilt ? "onlyBuiltDependencies" : "packageManager") : 1 };
    findings.push(
      finding(
        "pnpm-build-scripts-blocked",
        where,
        `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} in pnpm-lock.yaml but ${version} is not allowed to run ${missing.length === 1 ? "its" : "their"} install scripts${ignoredOnlyBuilt ? " (`onlyBuiltDependencies` lists them, which pnpm 11 and later ignore)" : ""}: ${readsOnlyBuilt ? "pnpm skips them, and workerd and esbuild are left without their binary" : "a frozen install in CI fails with ERR_PNPM_IGNORED_BUILDS"}.`,
        fix,
      ),
    );
  }
  return findings;
}
