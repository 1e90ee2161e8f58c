// What `alchkit doctor` reads from a repository on disk: its files, the local stages' Alchemy state and the
// version of the package manager that installed it. The checks are in workflows-lib/doctor/.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { fileStateApps, readFileStateEntries } from "../alchemy/file-state.ts";
import { stagesDir } from "../alchemy/stage-dir.ts";
import type { StageState, StateResource } from "../doctor/check-stage-state.ts";
import type { DoctorPorts, RepositoryFiles } from "../doctor/diagnose.ts";

/** Files of the repository at `root`; reads never leave it. */
export function repositoryFiles(root: string): RepositoryFiles {
  const resolve = (rel: string): string | undefined => {
    const full = path.resolve(root, rel);
    return full === root || full.startsWith(`${root}${path.sep}`) ? full : undefined;
  };
  return {
    read(file) {
      const full = resolve(file);
      if (!full) return undefined;
      try {
        return statSync(full).isFile() ? readFileSync(full, "utf8") : undefined;
      } catch {
        return undefined;
      }
    },
    list(directory) {
      const full = resolve(directory);
      if (!full) return [];
      try {
        return readdirSync(full, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
      } catch {
        return [];
      }
    },
  };
}

function stageStates(stateRoot: string, stage: string, source: string): StageState[] {
  const out: StageState[] = [];
  for (const app of fileStateApps(stateRoot, stage)) {
    const resources: StateResource[] = [];
    for (const entry of readFileStateEntries(stateRoot, app, stage) ?? []) {
      try {
        const doc = JSON.parse(entry.text) as { kind?: string; fqn?: string; output?: Record<string, unknown> | null };
        resources.push({ fqn: doc.fqn ?? entry.fqn, kind: doc.kind ?? "unknown", output: doc.output ?? {} });
      } catch {
        // a document being rewritten: skip it
      }
    }
    out.push({ app, stage, resources, source });
  }
  return out;
}

const subfolders = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
};

/**
 * The local stages of the app in `appDir`: each stage alchkit ran has its own folder
 * (`.alchkit/stages/<stage>/.alchemy/…`, the app's and the repository's), and `alchemy dev` run by hand keeps
 * its stages in the app's `.alchemy/`. `stateDirs` replaces the two `.alchkit` folders (a `--state-dir`).
 */
export function localStageStates(root: string, appDir: string, stateDirs?: string[]): StageState[] {
  const app = path.resolve(root, appDir);
  const seen = new Set<string>();
  const out: StageState[] = [];
  for (const stateDir of stateDirs ?? [path.join(app, ".alchkit"), path.join(root, ".alchkit")]) {
    for (const stage of subfolders(stagesDir(stateDir))) {
      const stageRoot = path.join(stagesDir(stateDir), stage);
      for (const state of stageStates(stageRoot, stage, path.relative(root, stageRoot))) {
        if (seen.has(`${state.app}/${stage}`)) continue;
        seen.add(`${state.app}/${stage}`);
        out.push(state);
      }
    }
  }
  const own = path.join(app, ".alchemy");
  for (const appName of subfolders(own)) {
    for (const stage of subfolders(path.join(own, appName))) {
      for (const state of stageStates(app, stage, path.relative(root, path.join(own, appName, stage)) || ".")) {
        if (state.app !== appName || seen.has(`${state.app}/${stage}`)) continue;
        seen.add(`${state.app}/${stage}`);
        out.push(state);
      }
    }
  }
  return out;
}

/** The package manager version that installed `dir`: pnpm records it in node_modules/.modules.yaml, yarn's yarnPath names it. */
export function installedVersion(root: string, dir: string, packageManager: string): string | undefined {
  const base = path.resolve(root, dir);
  if (packageManager === "pnpm") {
    const file = path.join(base, "node_modules", ".modules.yaml");
    if (!existsSync(file)) return undefined;
    try {
      const doc = parse(readFileSync(file, "utf8")) as { packageManager?: unknown } | null;
      const match = typeof doc?.packageManager === "string" ? doc.packageManager.match(/^pnpm@(\d+\.\d+\.\d+\S*)$/) : null;
      return match?.[1];
    } catch {
      return undefined;
    }
  }
  if (packageManager === "yarn") {
    try {
      const match = readFileSync(path.join(base, ".yarnrc.yml"), "utf8").match(/^\s*yarnPath\s*:.*yarn-(\d+\.\d+\.\d+[^/\s]*?)\.c?js\s*$/m);
      return match?.[1];
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The version `<packageManager> --version` prints in `dir` (the tool on PATH, as the developer runs it). corepack's
 * shims may not download anything for it: without a pin they would print corepack's default, not the one in use.
 */
export function toolVersion(root: string, dir: string, packageManager: string): string | undefined {
  if (!/^(pnpm|yarn|bun)$/.test(packageManager)) return undefined;
  const result = spawnSync(packageManager, ["--version"], {
    cwd: path.resolve(root, dir),
    encoding: "utf8",
    timeout: 15_000,
    env: { ...process.env, COREPACK_ENABLE_NETWORK: "0", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0", COREPACK_ENABLE_STRICT: "0" },
  });
  const version = result.status === 0 ? result.stdout.trim() : "";
  return /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version) ? version : undefined;
}

/** `askTools`: when node_modules does not say which version installed it, ask the tool on PATH (init does). */
export function doctorPorts(root: string, options: { askTools?: boolean } = {}): DoctorPorts {
  return {
    files: repositoryFiles(root),
    localStages: (appDir) => localStageStates(root, appDir),
    versionInUse: (dir, pm) => installedVersion(root, dir, pm) ?? (options.askTools ? toolVersion(root, dir, pm) : undefined),
  };
}
