// The two functions used, not the whole package: loading all of semver is a noticeable share of start-up.
import satisfies from "semver/functions/satisfies.js";
import validRange from "semver/ranges/valid.js";

/** The dependency fields that make an edge between workspace packages. */
export const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;
export type DependencyField = (typeof DEPENDENCY_FIELDS)[number];

export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

/** One package of a workspace, as read from its package.json. */
export interface WorkspacePackage {
  name: string;
  /** Directory relative to the repository root, POSIX separators, "." for the root package. */
  dir: string;
  version?: string;
  scripts: Record<string, string>;
  dependencies: Partial<Record<DependencyField, Record<string, string>>>;
}

export interface Workspace {
  /** The workspace flavour that listed the packages ("single" when the repository is one package). */
  tool: "npm" | "pnpm" | "yarn" | "bun" | "lerna" | "rush" | "single";
  packageManager: PackageManager;
  /** Workspace root relative to the repository root ("." unless the workspace lives in a sub-folder). */
  root: string;
  packages: WorkspacePackage[];
}

export interface WorkspaceGraph {
  packages: Map<string, WorkspacePackage>;
  /** name → names of the workspace packages it depends on. */
  dependencies: Map<string, Set<string>>;
  /** name → names of the workspace packages that depend on it. */
  dependents: Map<string, Set<string>>;
}

/**
 * Builds the dependency graph of a workspace. A dependency is an edge when it names a workspace package and
 * the specifier resolves to it the way package managers do: the `workspace:` protocol (pnpm, yarn, bun), a
 * `file:`/`link:` path to the package's directory, or a semver range the workspace version satisfies (npm
 * links a workspace package only then; otherwise it installs the registry version, which is no edge).
 */
export function buildWorkspaceGraph(packages: readonly WorkspacePackage[]): WorkspaceGraph {
  const byName = new Map<string, WorkspacePackage>();
  for (const pkg of packages) {
    const existing = byName.get(pkg.name);
    if (existing) {
      throw new Error(`two workspace packages are named "${pkg.name}": ${existing.dir} and ${pkg.dir}`);
    }
    byName.set(pkg.name, pkg);
  }
  const dependencies = new Map<string, Set<string>>();
  const dependents = new Map<string, Set<string>>();
  for (const name of byName.keys()) {
    dependencies.set(name, new Set());
    dependents.set(name, new Set());
  }
  for (const pkg of packages) {
    for (const field of DEPENDENCY_FIELDS) {
      const deps = pkg.dependencies[field];
      if (!deps) continue;
      for (const [depName, spec] of Object.entries(deps)) {
        const target = resolveWorkspaceTarget(depName, spec, pkg, byName);
        if (!target || target.name === pkg.name) continue;
        dependencies.get(pkg.name)!.add(target.name);
        dependents.get(target.name)!.add(pkg.name);
      }
    }
  }
  return { packages: byName, dependencies, dependents };
}

function resolveWorkspaceTarget(
  depName: string,
  spec: string,
  from: WorkspacePackage,
  byName: Map<string, WorkspacePackage>,
): WorkspacePackage | undefined {
  const trimmed = String(spec).trim();
  if (trimmed.startsWith("workspace:")) {
    const rest = trimmed.slice("workspace:".length);
    // pnpm aliases: "workspace:real-name@*"
    const alias = /^(@?[^@]+)@(.*)$/.exec(rest);
    if (alias && byName.has(alias[1]!)) return byName.get(alias[1]!);
    // yarn/pnpm path form: "workspace:../b"
    if (rest.startsWith(".") || rest.startsWith("/")) return byDirectory(from.dir, rest, byName);
    return byName.get(depName);
  }
  if (trimmed.startsWith("file:") || trimmed.startsWith("link:")) {
    return byDirectory(from.dir, trimmed.replace(/^(file|link):/, ""), byName);
  }
  if (trimmed.startsWith("npm:")) {
    // "npm:real-name@range" aliases a package; it is a workspace edge when the real name is one.
    const match = /^npm:(@?[^@]+)(?:@(.*))?$/.exec(trimmed);
    const target = match ? byName.get(match[1]!) : undefined;
    return target && rangeAccepts(match![2] ?? "*", target) ? target : undefined;
  }
  const target = byName.get(depName);
  if (!target) return undefined;
  return rangeAccepts(trimmed, target) ? target : undefined;
}

function rangeAccepts(range: string, target: WorkspacePackage): boolean {
  if (range === "" || range === "*" || range === "latest" || range === "x") return true;
  if (!target.version) return false;
  if (!validRange(range)) return false; // git URLs, tarballs, dist-tags other than latest
  return satisfies(target.version, range, { includePrerelease: true });
}

function byDirectory(fromDir: string, relative: string, byName: Map<string, WorkspacePackage>): WorkspacePackage | undefined {
  const wanted = joinPosix(fromDir, relative);
  for (const pkg of byName.values()) if (pkg.dir === wanted) return pkg;
  return undefined;
}

/** Joins and normalises POSIX paths relative to the repository root ("." for the root). */
export function joinPosix(base: string, relative: string): string {
  const parts: string[] = [];
  for (const part of `${base}/${relative}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? "." : parts.join("/");
}

/** All packages that depend on any of `names`, directly or transitively (the names themselves excluded). */
export function transitiveDependents(graph: WorkspaceGraph, names: Iterable<string>): Set<string> {
  return walk(graph.dependents, names);
}

/** All workspace packages `names` depend on, directly or transitively (the names themselves excluded). */
export function transitiveDependencies(graph: WorkspaceGraph, names: Iterable<string>): Set<string> {
  return walk(graph.dependencies, names);
}

function walk(edges: Map<string, Set<string>>, start: Iterable<string>): Set<string> {
  const seeds = new Set(start);
  const seen = new Set<string>();
  const queue = [...seeds];
  while (queue.length > 0) {
    const name = queue.pop()!;
    for (const next of edges.get(name) ?? []) {
      if (seen.has(next) || seeds.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

/**
 * Orders `names` so every package comes after the workspace packages it depends on (ties by name, so the
 * order is stable). Cycles, which package managers tolerate, are broken at the alphabetically first member.
 */
export function topologicalOrder(graph: WorkspaceGraph, names: Iterable<string>): string[] {
  const wanted = new Set(names);
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string): void => {
    if (state.has(name)) return;
    state.set(name, "visiting");
    for (const dep of [...(graph.dependencies.get(name) ?? [])].sort()) {
      if (wanted.has(dep)) visit(dep);
    }
    state.set(name, "done");
    order.push(name);
  };
  for (const name of [...wanted].sort()) visit(name);
  return order;
}
