/**
 * `alchkit create`'s decisions, pure: which names and targets are acceptable, and the files of the new app
 * (Alchemy's template instantiated with the starter's overlay). The shell reads the template, writes the files,
 * then lets init's planners add the kit's workflows and configuration, as `alchkit init` would on this app.
 */
import { InputError } from "../errors.ts";
import { BUILT_DEPENDENCIES, instantiateTemplate, type AppFiles, type PackageJson, type PackageManagerName } from "../app-templates/instantiate.ts";
import { STARTERS, STARTER_NAMES, type Starter } from "./starters.ts";

/**
 * An app name is its folder, its package.json `name` and its Alchemy app name (the prefix of every Worker's and
 * resource's physical name): lowercase letters, digits and single hyphens, starting with a letter, at most 40
 * characters so `<app>-<resource>-<stage>` stays within Cloudflare's 63.
 */
const NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$/;

export function checkAppName(name: string): string {
  if (!NAME.test(name)) {
    throw new InputError("NAME", "an app name: lowercase letters, digits and single hyphens, starting with a letter, at most 40 characters (e.g. my-app)", JSON.stringify(name));
  }
  return name;
}

export function starterOf(template: string): Starter {
  const starter = STARTERS[template];
  if (!starter) throw new InputError("--template", `one of: ${STARTER_NAMES.join(", ")}`, template);
  return starter;
}

export interface CreateInput {
  name: string;
  starter: Starter;
  /** The template's files as shipped in the `alchemy` package. */
  template: AppFiles;
  alchemyVersion: string;
  /** Pinned in package.json for pnpm, yarn and bun (npm needs no pin). */
  packageManager: { name: PackageManagerName; version?: string };
}

/** The new app's own files (the kit's are added by init's planners afterwards). */
export function planCreate(input: CreateInput): AppFiles {
  const overlay: AppFiles = {};
  for (const [file, content] of Object.entries(input.starter.overlay)) {
    overlay[file] = typeof content === "string" ? content.replaceAll("{projectName}", input.name) : content;
  }
  const template: AppFiles = { ...input.template };
  for (const [file, edit] of Object.entries(input.starter.edits ?? {})) {
    const text = template[file];
    if (typeof text !== "string") throw new Error(`Alchemy's ${input.starter.template} template has no ${file} for alchkit create to edit; this alchkit release does not support the installed alchemy's template.`);
    template[file] = edit(text);
  }
  const pm = input.packageManager;
  // pnpm 11 and later read build allowances only from pnpm-workspace.yaml (`allowBuilds`) and fail the install on
  // a build they were not allowed (ERR_PNPM_IGNORED_BUILDS); pnpm 10 reads package.json's `onlyBuiltDependencies`.
  const allowBuildsFile = pm.name === "pnpm" && pm.version !== undefined && Number(pm.version.split(".")[0]) >= 11;
  if (allowBuildsFile) overlay["pnpm-workspace.yaml"] = pnpmAllowBuilds();
  return instantiateTemplate({
    template,
    name: input.name,
    alchemyVersion: input.alchemyVersion,
    ...(pm.name !== "npm" && pm.version ? { packageManager: { name: pm.name, version: pm.version } } : {}),
    overlay,
    // A new app is private: nothing to publish by accident.
    editPackageJson: (manifest) => {
      const next = withRanges({ name: manifest.name, version: "0.1.0", private: true, ...manifest }, input.starter.ranges ?? {});
      if (allowBuildsFile && next.pnpm) {
        const { onlyBuiltDependencies: _ignoredThere, ...rest } = next.pnpm;
        if (Object.keys(rest).length > 0) next.pnpm = rest;
        else delete next.pnpm;
      }
      return next;
    },
  });
}

/** pnpm-workspace.yaml of a new app installed by pnpm 11 or later: the packages that must run their install scripts. */
function pnpmAllowBuilds(): string {
  return `# pnpm runs the install scripts of these packages only (workerd and esbuild fetch their binary, sharp too).\nallowBuilds:\n${BUILT_DEPENDENCIES.map((name) => `  ${name}: true`).join("\n")}\n`;
}

/** The starter's ranges over the template's, for the dependencies the template has (none added). */
function withRanges(manifest: PackageJson, ranges: Record<string, string>): PackageJson {
  const next: PackageJson = { ...manifest };
  for (const field of ["dependencies", "devDependencies"] as const) {
    const deps = manifest[field];
    if (deps) next[field] = Object.fromEntries(Object.entries(deps).map(([dep, range]) => [dep, ranges[dep] ?? range]));
  }
  return next;
}
