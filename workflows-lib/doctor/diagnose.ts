import { posix } from "node:path";
import type { AlchkitConfig } from "../config/config-schema.ts";
import { DEFAULT_PROTECTED_STAGES } from "../platform/stage-name.ts";
import { findInstallRoot, LOCKFILES } from "../setup/package-manager.ts";
import { checkAlchemyEntry, type EntryFacts } from "./check-alchemy-entry.ts";
import { checkHealthRoute, routeLiterals, type HealthPathSetting, type WorkerSource } from "./check-health-route.ts";
import { checkInstallRoot, jsonKeyLine, type InstallRoot } from "./check-packages.ts";
import { checkStageState, type StageState } from "./check-stage-state.ts";
import { checkWorkflows, KIT_WORKFLOWS } from "./check-workflows.ts";
import { sortFindings, type Finding } from "./checks.ts";
import { moduleSpecifiers, parseTypeScript } from "./typescript-source.ts";
import { parseWorkflow, type Workflow } from "./workflow-model.ts";

/** The repository, read through the shell's adapter. Paths are relative to its root, `/` separated. */
export interface RepositoryFiles {
  read(file: string): string | undefined;
  /** Names in a folder, folders marked; empty when it does not exist. */
  list(directory: string): Array<{ name: string; directory: boolean }>;
}

export interface DoctorPorts {
  files: RepositoryFiles;
  /** Local stages' state of the app whose entry is in `directory` (the stages alchkit ran, Alchemy's own). */
  localStages?(directory: string): StageState[];
  /** The package manager version that installed `directory` (its node_modules metadata, or the tool on PATH). */
  versionInUse?(directory: string, packageManager: string): string | undefined;
}

export interface DoctorOptions {
  config: AlchkitConfig;
  /** The configuration file, when there is one (for lines in findings). */
  configFile?: { file: string; text: string };
}

export interface DoctorReport {
  findings: Finding[];
  /** What was read, for the summary line. */
  read: { workflows: string[]; entries: string[]; installRoots: string[]; stages: string[] };
  /** The paths the Workers' code routes (string literals such as "/health"), for choosing a health path. */
  routes: string[];
}

const ENTRY_NAMES = new Set(["alchemy.run.ts", "alchemy.run.mts", "alchemy.run.js", "alchemy.run.mjs"]);
const SKIP = new Set(["node_modules", "dist", "build", "out"]);

/** Every Alchemy entry of the repository (a monorepo has several), up to four folders deep. */
export function findEntries(files: RepositoryFiles): string[] {
  const out: string[] = [];
  const queue: Array<[string, number]> = [[".", 0]];
  while (queue.length > 0) {
    const [dir, depth] = queue.shift()!;
    const entries = files.list(dir).sort((a, b) => a.name.localeCompare(b.name));
    const entry = entries.find((e) => !e.directory && ENTRY_NAMES.has(e.name));
    if (entry) out.push(dir === "." ? entry.name : `${dir}/${entry.name}`);
    if (depth >= 4) continue;
    for (const e of entries) if (e.directory && !SKIP.has(e.name) && !e.name.startsWith(".")) queue.push([dir === "." ? e.name : `${dir}/${e.name}`, depth + 1]);
  }
  return out;
}

function workflowsOf(files: RepositoryFiles): Workflow[] {
  const dir = ".github/workflows";
  const out: Workflow[] = [];
  for (const entry of files.list(dir).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.directory || !/\.ya?ml$/.test(entry.name)) continue;
    const file = `${dir}/${entry.name}`;
    const workflow = parseWorkflow(file, files.read(file) ?? "");
    if (workflow) out.push(workflow);
  }
  return out;
}

const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs", "/index.ts", "/index.tsx", "/index.js"];

/** A Worker's entry module and what it imports from the app (relative imports only), at most 60 modules. */
function workerModules(files: RepositoryFiles, entry: string): Map<string, string> {
  const modules = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0 && modules.size < 60) {
    const wanted = queue.shift()!;
    const candidates = RESOLVE_SUFFIXES.map((s) => wanted + s).concat(/\.(m?js|jsx)$/.test(wanted) ? [wanted.replace(/\.(m?)js(x?)$/, ".$1ts$2")] : []);
    const file = candidates.find((c) => !modules.has(c) && files.read(c) !== undefined);
    if (!file) continue;
    const text = files.read(file)!;
    modules.set(file, text);
    let specifiers: string[] = [];
    try {
      specifiers = moduleSpecifiers(parseTypeScript(text).program);
    } catch {
      specifiers = [];
    }
    for (const spec of specifiers) if (spec.startsWith("./") || spec.startsWith("../")) queue.push(posix.normalize(posix.join(posix.dirname(file), spec)));
  }
  return modules;
}

function healthSettings(options: DoctorOptions, workflows: Workflow[]): HealthPathSetting[] {
  const settings: HealthPathSetting[] = [];
  const configFile = options.configFile;
  const fromConfig = (path: string, key: string): HealthPathSetting => ({
    path,
    ...(configFile ? { file: configFile.file, line: jsonKeyLine(configFile.text, key) } : {}),
    change: configFile ? `set \`${key}\` in ${configFile.file} to a path that answers 200` : "set `preview.healthPath` in alchkit.config.json to a path that answers 200 (`alchkit init` asks)",
  });
  settings.push(fromConfig(options.config.preview.healthPath, "healthPath"));
  for (const env of Object.values(options.config.environments)) if (env.healthPath) settings.push(fromConfig(env.healthPath, "healthPath"));
  for (const workflow of workflows) {
    for (const job of workflow.jobs) {
      const file = job.uses?.match(/^alchkit\/alchkit\/\.github\/workflows\/([\w.-]+)@/)?.[1];
      const path = job.with["health-path"];
      if (file && KIT_WORKFLOWS[file] && path) {
        const at = workflow.text.indexOf("health-path:", workflow.text.split("\n").slice(0, job.line - 1).join("\n").length);
        settings.push({ path, file: workflow.file, ...(at >= 0 ? { line: workflow.lineAt(at) } : { line: job.line }), change: `change the job's \`health-path\` input in ${workflow.file}` });
      }
    }
  }
  // Where the setting is written first: a finding then points at the line to change.
  return settings.sort((a, b) => Number(b.file !== undefined) - Number(a.file !== undefined));
}

/** Every folder an install runs in (the root, or each entry's nearest lockfile), with its package manager files. */
export function installRootsOf(ports: DoctorPorts, entries: string[]): InstallRoot[] {
  const { files } = ports;
  const lockNames = new Set(LOCKFILES.map(([file]) => file));
  const names = (dir: string) => files.list(dir).filter((e) => !e.directory).map((e) => e.name);
  const roots = new Set<string>();
  for (const dir of [".", ...entries.map((e) => posix.dirname(e))]) {
    const root = findInstallRoot(dir, ".", names, (d) => (d === "." ? "." : posix.dirname(d)));
    if (names(root).some((n) => lockNames.has(n)) || names(root).includes("package.json")) roots.add(root);
  }
  const at = (dir: string, file: string) => (dir === "." ? file : `${dir}/${file}`);
  return [...roots].map((directory) => {
    const present = names(directory);
    const packageJson = files.read(at(directory, "package.json"));
    const pm = present.includes("pnpm-lock.yaml") ? "pnpm" : present.includes("yarn.lock") ? "yarn" : present.some((n) => n.startsWith("bun.lock")) ? "bun" : "npm";
    const versionInUse = ports.versionInUse?.(directory, pm);
    return {
      directory,
      files: present,
      ...(packageJson !== undefined ? { packageJson } : {}),
      ...(present.includes("pnpm-workspace.yaml") ? { pnpmWorkspace: files.read(at(directory, "pnpm-workspace.yaml"))! } : {}),
      ...(present.includes("pnpm-lock.yaml") ? { pnpmLock: files.read(at(directory, "pnpm-lock.yaml"))! } : {}),
      ...(present.includes(".yarnrc.yml") ? { yarnrc: files.read(at(directory, ".yarnrc.yml"))! } : {}),
      ...(versionInUse ? { versionInUse } : {}),
    };
  });
}

export function diagnose(ports: DoctorPorts, options: DoctorOptions): DoctorReport {
  const { files } = ports;
  const findings: Finding[] = [];
  const protectedStages = [...new Set([...DEFAULT_PROTECTED_STAGES, ...Object.values(options.config.environments).map((e) => e.stage)])];

  const entries = findEntries(files);
  const facts: EntryFacts[] = [];
  const workers: WorkerSource[] = [];
  for (const entry of entries) {
    const result = checkAlchemyEntry(entry, files.read(entry) ?? "", { protectedStages });
    facts.push(result.facts);
    findings.push(...result.findings);
    const dir = posix.dirname(entry);
    for (const worker of result.facts.workerEntrypoints) {
      const modules = workerModules(files, posix.normalize(posix.join(dir, worker.path)));
      if (modules.size > 0) workers.push({ id: worker.id, declaredIn: entry, line: worker.line, modules });
    }
  }

  const workflows = workflowsOf(files);
  const scriptsAt = (directory: string) => {
    const manifests = [directory, "."].map((d) => files.read(d === "." ? "package.json" : `${posix.normalize(d)}/package.json`));
    return (name: string) => {
      for (const text of manifests) {
        if (!text) continue;
        try {
          const scripts = (JSON.parse(text) as { scripts?: Record<string, string> }).scripts;
          if (scripts?.[name] !== undefined) return scripts[name];
        } catch {
          // not JSON: no scripts
        }
      }
      return undefined;
    };
  };
  const workflowFindings = checkWorkflows({ workflows, scriptsAt, entrySetsStage: facts.some((f) => f.setsStage) });
  // Alchemy's CI guide and `alchemy create` also add a GitHubComment for the preview URL: alchkit posts its own.
  const comment = facts.find((f) => f.githubCommentLine !== undefined);
  for (const f of workflowFindings) {
    if (f.id === "alchemy-ci-workflow" && comment) f.fix += ` Remove the GitHubComment from ${comment.file} (line ${comment.githubCommentLine}) too: alchkit's preview comment takes its place.`;
  }
  findings.push(...workflowFindings);

  const installRoots = installRootsOf(ports, entries);
  for (const root of installRoots) findings.push(...checkInstallRoot(root));

  findings.push(...checkHealthRoute(healthSettings(options, workflows), workers));

  const stages: StageState[] = [];
  if (ports.localStages) for (const entry of entries) stages.push(...ports.localStages(posix.dirname(entry)));
  const entryOfApp = (app: string) => facts.find((f) => f.appName === app)?.file ?? (facts.length === 1 ? facts[0]!.file : undefined);
  findings.push(...checkStageState(stages, entryOfApp));

  return {
    findings: sortFindings(findings),
    routes: [...routeLiterals(workers.flatMap((w) => [...w.modules.values()]))].sort(),
    read: { workflows: workflows.map((w) => w.file), entries, installRoots: installRoots.map((r) => r.directory), stages: stages.map((s) => `${s.app}/${s.stage}`) },
  };
}
