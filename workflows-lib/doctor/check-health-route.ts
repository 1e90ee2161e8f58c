import { finding, type Finding } from "./checks.ts";
import { parseTypeScript, walk, type SyntaxNode } from "./typescript-source.ts";

/** A health path the kit will probe, and where it is set. */
export interface HealthPathSetting {
  path: string;
  file?: string;
  line?: number;
  /** How to point the probe elsewhere, in the words of that file. */
  change: string;
}

/** A Worker's source: its entry module and the modules it imports from the app, by repository path. */
export interface WorkerSource {
  id: string;
  /** Where the Worker is declared (alchemy.run.ts). */
  declaredIn: string;
  line: number;
  modules: Map<string, string>;
}

/**
 * The paths a Worker's code routes: string literals that look like a path (`"/health"`, `` `/orders/:id` ``)
 * in its modules. A Worker without any answers every path the same way.
 */
export function routeLiterals(modules: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const text of modules) {
    let program: SyntaxNode;
    try {
      program = parseTypeScript(text).program;
    } catch {
      continue;
    }
    walk(program, (node, ancestors) => {
      const parent = ancestors[ancestors.length - 1];
      // import specifiers are not routes
      if (parent && (parent.type === "ImportDeclaration" || parent.type === "ExportAllDeclaration" || parent.type === "ExportNamedDeclaration")) return;
      let value: string | undefined;
      if (node.type === "StringLiteral") value = node.value as string;
      else if (node.type === "TemplateElement") value = (node.value as { cooked?: string }).cooked ?? undefined;
      if (value && /^\/[\w\-./:*{}]*$/.test(value) && value.length <= 200) out.add(value);
    });
  }
  return out;
}

/** Does the code route `path`? Exactly, as the tail of a mounted router (`/api` + `/health`), or a prefix match. */
export function routesPath(literals: Set<string>, path: string): boolean {
  const pathname = path.split("?")[0]!.replace(/\/+$/, "") || "/";
  if (literals.has(pathname) || literals.has(`${pathname}/`)) return true;
  const segments = pathname.split("/").filter(Boolean);
  for (let i = 1; i < segments.length; i++) if (literals.has(`/${segments.slice(i).join("/")}`)) return true;
  return [...literals].some((l) => l.length > 1 && (l.endsWith("*") ? pathname.startsWith(l.slice(0, -1)) : false));
}

export function checkHealthRoute(settings: HealthPathSetting[], workers: WorkerSource[]): Finding[] {
  const findings: Finding[] = [];
  if (workers.length === 0) return findings;
  const literals = routeLiterals(workers.flatMap((w) => [...w.modules.values()]));
  // A Worker that routes nothing (one handler for every request) answers the health path too.
  if (![...literals].some((l) => l !== "/")) return findings;
  const seen = new Set<string>();
  for (const setting of settings) {
    if (setting.path === "none" || seen.has(setting.path)) continue;
    seen.add(setting.path);
    if (routesPath(literals, setting.path)) continue;
    const worker = workers[0]!;
    const routed = [...literals].filter((l) => l.length > 1).slice(0, 5);
    findings.push(
      finding(
        "health-route-missing",
        setting.file ? { file: setting.file, ...(setting.line ? { line: setting.line } : {}) } : { file: worker.declaredIn, line: worker.line },
        `The kit probes ${setting.path} after every deploy, but the Worker "${worker.id}" (${[...worker.modules.keys()][0]}) has no route there${routed.length ? ` (it routes ${routed.join(", ")})` : ""}: every preview fails with a 404.`,
        `Add a route that answers 200 (Hono: \`app.get("${setting.path}", (c) => c.text("ok"))\`), or ${setting.change}.`,
      ),
    );
  }
  return findings;
}
