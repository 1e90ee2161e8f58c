import { readFile, mkdir, readdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import type { AlchemyCliOptions } from "../alchemy/alchemy-cli.ts";
import { bundleSize, readAlchemyStageDocuments, readLocalStageDocuments } from "../alchemy/stage-documents.ts";
import { localStateRoot } from "../alchemy/stage-dir.ts";
import type { AlchkitConfig } from "../config/config-schema.ts";
import { createCommitChecks } from "../github/commit-checks.ts";
import type { GitHubClient } from "../github/client.ts";
import { runGit } from "../local/git.ts";
import { isProductionLike } from "../promote/environments.ts";
import type { FactsPorts, StageNaming } from "../policy/assemble-facts.ts";
import { dependencyFacts } from "../policy/dependency-facts.ts";
import type { PolicyFilesPort } from "../policy/evaluate-policies.ts";
import { InputError } from "../errors.ts";
import { installPinned, type InstalledTool, type ToolCache } from "../pinned-tools/install.ts";
import { DEFAULT_OPA_VERSION, opaAsset, pinnedOpaSha256, pinnedOpaVersions } from "../pinned-tools/opa-release.ts";

/** Adapters both shells (action, CLI) give the policy gate. */

export function stageNaming(config: AlchkitConfig): StageNaming {
  const environments = Object.entries(config.environments);
  return {
    previewPrefix: config.preview.stagePrefix,
    productionStages: [...new Set(["prod", "production", ...environments.filter(([name]) => isProductionLike(name)).map(([, e]) => e.stage)])],
    stagingStages: [...new Set(["staging", ...environments.filter(([name]) => /^(staging|stage|stg)$/i.test(name)).map(([, e]) => e.stage)])],
  };
}

export interface FactsAdapterSettings {
  /** Repository root (git, lockfile). */
  root: string;
  appDir: string;
  /** `local`: the `.alchemy` folder; `alchemy`: the app's `alchemy state` with these options. */
  /** local: the stages alchkit ran are under `stateDir` (default the app's `.alchkit/`). */
  state: { from: "local"; app?: string; stateDir?: string } | { from: "alchemy"; flags: { profile?: string; app?: string }; cli: AlchemyCliOptions };
  github?: { client: GitHubClient; owner: string; repo: string; ignoreRunId?: string };
  /** Changed files are those between this commit and the target SHA (or the working tree). */
  base?: string;
  head?: string;
}

/** The nearest folder at or above `appDir` with a package-lock.json (a workspace's lock is at its root). */
function lockDir(appDir: string, root: string): string {
  let dir = path.resolve(appDir);
  for (;;) {
    if (existsSync(path.join(dir, "package-lock.json"))) return dir;
    if (dir === path.resolve(root) || path.dirname(dir) === dir) return appDir;
    dir = path.dirname(dir);
  }
}

export function factsPorts(settings: FactsAdapterSettings): FactsPorts {
  const { state } = settings;
  const readText = async (file: string) => (existsSync(file) ? readFile(file, "utf8") : undefined);
  return {
    async stageState(stage) {
      const docs =
        state.from === "local"
          ? readLocalStageDocuments(settings.appDir, stage, state.app, state.stateDir)
          : await readAlchemyStageDocuments(stage, state.flags, state.cli);
      return docs;
    },
    // A stage alchkit ran locally builds in its own folder; `alchemy deploy` builds in the app directory.
    bundleOf: (script, stage) => bundleSize(state.from === "local" ? localStateRoot(settings.appDir, stage, state.from === "local" ? state.stateDir : undefined) : settings.appDir, script),
    ...(settings.github
      ? { checks: (sha: string) => createCommitChecks(settings.github!.client, settings.github!).list(sha) }
      : {}),
    dependencies: () => dependencyFacts(settings.appDir, lockDir(settings.appDir, settings.root), { readText }),
    async changedFiles() {
      if (!settings.base) return [];
      const args = ["diff", "--name-only", "--no-renames", settings.base, ...(settings.head ? [settings.head] : [])];
      const result = await runGit(settings.root, args);
      if (result.code !== 0) throw new Error(`cannot list the changed files: git ${args.join(" ")}: ${result.stderr.trim()}`);
      return result.stdout.split("\n").map((line) => line.trim()).filter(Boolean);
    },
    now: () => new Date(),
  };
}

export const policyFiles: PolicyFilesPort = {
  async list(dir) {
    if (!existsSync(dir)) return [];
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
  },
  readText: (file) => readFile(file, "utf8"),
  async writeText(file, text) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  },
};

/**
 * OPA on a runner: the pinned release binary through the tool cache, its sha256 from the kit's table (or the
 * one given for a version or platform the table lacks), checked on download and on every cache hit.
 */
export async function installOpa(options: {
  version: string;
  sha256?: string;
  platform: NodeJS.Platform;
  arch: string;
  toolCache: ToolCache;
  releasesUrl?: string;
  log?: (line: string) => void;
}): Promise<InstalledTool> {
  const asset = opaAsset(options.version, options.platform, options.arch, options.releasesUrl);
  return installPinned({
    tool: "opa",
    version: options.version,
    arch: options.arch,
    asset,
    toolCache: options.toolCache,
    ...(options.log ? { log: options.log } : {}),
    async expectedSha256() {
      const digest = options.sha256 ?? pinnedOpaSha256(options.version, asset.name);
      if (!digest) {
        throw new InputError(
          "opa-sha256",
          `the sha256 of ${asset.name} of OPA v${options.version}`,
          `this kit pins none for it (pinned: ${pinnedOpaVersions()}); copy it from the release's ${asset.name}.sha256, or use opa-version ${DEFAULT_OPA_VERSION}`,
        );
      }
      return digest;
    },
  });
}
