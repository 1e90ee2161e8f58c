import { isMap, parseDocument } from "yaml";
import { blockedBuilds, type InstallRoot } from "../doctor/check-packages.ts";
import { detectPackageManager, type PackageManagerPlan } from "../setup/package-manager.ts";
import type { PlannedFile } from "./plan-files.ts";

/**
 * What `alchkit init` changes in a repository's package manager files so that CI installs what the repository
 * uses: it pins `packageManager` to the version in use (corepack, and so the setup action, then set up that
 * pnpm or yarn; bun is installed at that version) and allows pnpm to build workerd, esbuild and sharp in the
 * form that pnpm version reads. What it cannot decide (the version is unknown) it explains in `notes`.
 */
export interface PackagePins {
  files: PlannedFile[];
  notes: string[];
}

const at = (dir: string, file: string) => (dir === "." ? file : `${dir}/${file}`);

/** package.json with `edit` applied, in its own indentation, keys in place, new keys last. */
function editJson(text: string, edit: (manifest: Record<string, unknown>) => void): string {
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? "  ";
  const manifest = JSON.parse(text) as Record<string, unknown>;
  edit(manifest);
  return `${JSON.stringify(manifest, null, indent)}\n`;
}

export function planPackagePins(root: InstallRoot): PackagePins {
  const files: PlannedFile[] = [];
  const notes: string[] = [];
  if (root.packageJson === undefined) return { files, notes };
  let manifest: { packageManager?: unknown; devEngines?: { packageManager?: { version?: unknown } } };
  let plan: PackageManagerPlan;
  try {
    manifest = JSON.parse(root.packageJson) as typeof manifest;
    plan = detectPackageManager(root.files, manifest);
  } catch {
    return { files, notes }; // no lockfile, two of them, an unreadable package.json: the setup action says which
  }
  const packageJsonFile = at(root.directory, "package.json");
  let packageJson = root.packageJson;
  let pinned = plan.version;
  const yarnPathPinned = plan.name === "yarn" && /^\s*yarnPath\s*:/m.test(root.yarnrc ?? "");
  const devEnginesPinned = typeof manifest.devEngines?.packageManager?.version === "string";
  const changes: string[] = [];
  if (plan.name !== "npm" && !pinned && !yarnPathPinned && !devEnginesPinned) {
    if (root.versionInUse) {
      pinned = root.versionInUse;
      const value = `${plan.name}@${pinned}`;
      packageJson = editJson(packageJson, (m) => void (m.packageManager = value));
      changes.push(`packageManager pinned to ${value}`);
    } else {
      notes.push(
        `${packageJsonFile} does not pin ${plan.name}'s version and none was found in use here: add "packageManager": "${plan.name}@<version>" ` +
          `(\`${plan.name} --version\` prints it), or CI sets up whatever ${plan.name} corepack or npm picks.`,
      );
    }
  }

  const blocked = plan.name === "pnpm" ? blockedBuilds(root, pinned) : undefined;
  if (blocked && blocked.major === undefined) {
    notes.push(`pnpm may skip the install scripts of ${blocked.missing.join(", ")}: once its version is pinned, run \`alchkit init\` again to allow them, or see \`alchkit doctor\`.`);
  } else if (blocked?.readsOnlyBuilt) {
    // pnpm 10: package.json's pnpm.onlyBuiltDependencies
    packageJson = editJson(packageJson, (m) => {
      const pnpm = (typeof m.pnpm === "object" && m.pnpm !== null ? m.pnpm : {}) as Record<string, unknown>;
      const current = Array.isArray(pnpm.onlyBuiltDependencies) ? pnpm.onlyBuiltDependencies.map(String) : [];
      m.pnpm = { ...pnpm, onlyBuiltDependencies: [...new Set([...current, ...blocked.missing])].sort() };
    });
    changes.push(`pnpm.onlyBuiltDependencies: ${blocked.missing.join(", ")}`);
  } else if (blocked) {
    // pnpm 11 and later read only allowBuilds, in pnpm-workspace.yaml
    const workspaceFile = at(root.directory, "pnpm-workspace.yaml");
    const doc = parseDocument(root.pnpmWorkspace ?? "");
    if (root.pnpmWorkspace !== undefined && doc.contents !== null && !isMap(doc.contents)) {
      notes.push(`${workspaceFile} is not a mapping: allow the builds of ${blocked.missing.join(", ")} there by hand (allowBuilds: { name: true }).`);
    } else {
      for (const name of blocked.missing) doc.setIn(["allowBuilds", name], true);
      const content = doc.toString();
      files.push(
        root.pnpmWorkspace === undefined
          ? { path: workspaceFile, action: "create", content, note: `allowBuilds: ${blocked.missing.join(", ")} (pnpm ${blocked.major} builds only what it allows)` }
          : { path: workspaceFile, action: "update-section", content, note: `allowBuilds: ${blocked.missing.join(", ")} added` },
      );
    }
  }
  if (packageJson !== root.packageJson) files.unshift({ path: packageJsonFile, action: "update-section", content: packageJson, note: changes.join("; ") });
  return { files, notes };
}
