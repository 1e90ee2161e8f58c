/**
 * An Alchemy app from one of Alchemy's own templates (the `templates/` folder inside the `alchemy` package, what
 * `alchemy create` copies) plus an overlay of the app's own files: the same steps `alchemy create` takes
 * (dot-files renamed, the project name filled in, `workspace:*` pinned to a real version, the standard
 * scripts), then what the caller adds. Pure: files in, files out; reading and writing are the caller's.
 */
export type FileContent = string | Uint8Array;
export type AppFiles = Record<string, FileContent>;

export type PackageManagerName = "npm" | "pnpm" | "yarn" | "bun";

export interface AppTemplateInput {
  /** Template files by path relative to the template folder, as shipped. */
  template: AppFiles;
  /** Project name: replaces `{projectName}` in alchemy.run.ts and becomes package.json `name`. */
  name: string;
  /** Version range written for `alchemy` where the template says `workspace:*`, e.g. `0.94.0`. */
  alchemyVersion: string;
  /** Pins `packageManager` (e.g. `pnpm@10.12.1`) and adds what that package manager needs. */
  packageManager?: { name: PackageManagerName; version: string };
  /** Files of the app itself, written over the template; `null` removes a template file. */
  overlay?: Record<string, FileContent | null>;
  /** Last edit of package.json (after the template's and the package manager's). */
  editPackageJson?: (manifest: PackageJson) => PackageJson;
}

export interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  packageManager?: string;
  pnpm?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Dot-files are shipped with a leading underscore (npm would drop or act on the real names). */
const RENAMED = new Set(["_gitignore", "_npmrc", "_env", "_env.example", "_prettierignore"]);

/**
 * Packages that must run their install scripts: workerd and esbuild fetch their platform binary, sharp too.
 * pnpm 10+ skips every dependency's build script unless listed (and fails a frozen install in CI).
 */
export const BUILT_DEPENDENCIES = ["esbuild", "sharp", "workerd"] as const;

export function instantiateTemplate(input: AppTemplateInput): AppFiles {
  const out: AppFiles = {};
  for (const [file, content] of Object.entries(input.template)) {
    const parts = file.split("/");
    const base = parts.pop()!;
    out[[...parts, RENAMED.has(base) ? `.${base.slice(1)}` : base].join("/")] = content;
  }
  const entry = out["alchemy.run.ts"];
  if (typeof entry === "string") out["alchemy.run.ts"] = entry.replaceAll("{projectName}", input.name);
  const manifestText = out["package.json"];
  if (typeof manifestText === "string") {
    out["package.json"] = `${JSON.stringify(editManifest(JSON.parse(manifestText) as PackageJson, input), null, 2)}\n`;
  }
  for (const [file, content] of Object.entries(input.overlay ?? {})) {
    if (content === null) delete out[file];
    else out[file] = content;
  }
  return out;
}

function editManifest(manifest: PackageJson, input: AppTemplateInput): PackageJson {
  let next: PackageJson = { ...manifest, name: input.name };
  next.scripts = { ...(manifest.scripts ?? {}), deploy: "alchemy deploy", destroy: "alchemy destroy", dev: "alchemy dev" };
  for (const field of ["dependencies", "devDependencies"] as const) {
    const deps = manifest[field];
    if (!deps) continue;
    next[field] = Object.fromEntries(Object.entries(deps).map(([dep, range]) => [dep, dep === "alchemy" || range.startsWith("workspace:") ? input.alchemyVersion : range]));
  }
  if (input.packageManager) {
    next.packageManager = `${input.packageManager.name}@${input.packageManager.version}`;
    if (input.packageManager.name === "pnpm") {
      next.pnpm = { ...(manifest.pnpm ?? {}), onlyBuiltDependencies: [...BUILT_DEPENDENCIES] };
    }
  }
  if (input.editPackageJson) next = input.editPackageJson(next);
  return next;
}
