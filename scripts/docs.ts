// `npm run docs`: regenerates every generated part of the docs. `--check` only reports drift (exit 1).
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve, relative } from "node:path";
import { fillTables } from "./doc-tables.ts";
import { renderCliReference } from "../workflows-lib/cli/cli-reference.ts";
import { commands } from "../workflows-lib/cli/commands/index.ts";
import { configJsonSchema } from "../workflows-lib/config/config-schema.ts";
import { factsJsonSchema } from "../workflows-lib/policy/facts-schema.ts";
import { fillCheckTable } from "../workflows-lib/doctor/render-findings.ts";

const root = resolve(import.meta.dirname, "..");

function markdownFiles(): string[] {
  const files = ["README.md"];
  for (const dir of ["docs", "actions"]) {
    const walk = (d: string): void => {
      if (!existsSync(d)) return;
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, entry.name);
        if (entry.isDirectory() && entry.name !== "dist" && entry.name !== "node_modules") walk(p);
        else if (entry.isFile() && entry.name.endsWith(".md")) files.push(relative(root, p));
      }
    };
    walk(join(root, dir));
  }
  return files.filter((f) => existsSync(join(root, f)));
}

/** Every generated file and its expected content. */
export async function generatedDocs(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const read = (p: string) => readFileSync(join(root, p), "utf8");
  for (const file of markdownFiles()) {
    const current = read(file);
    const tables = fillTables(current, read);
    const next = file === "docs/doctor.md" ? fillCheckTable(tables) : tables;
    if (next !== current || file !== "docs/cli.md") out.set(file, next);
  }
  out.set("docs/cli.md", renderCliReference(commands));
  out.set("docs/alchkit.schema.json", configJsonSchema());
  out.set("docs/policy-facts.schema.json", factsJsonSchema());
  const extra = join(root, "workflows-lib/openapi/diff/rule-catalogue.ts");
  if (existsSync(extra)) {
    const mod = (await import(extra)) as { renderRuleCatalogue?: () => string };
    if (mod.renderRuleCatalogue) out.set("docs/openapi-rules.md", mod.renderRuleCatalogue());
  }
  return out;
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const drift: string[] = [];
  for (const [file, content] of await generatedDocs()) {
    const path = join(root, file);
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (current === content) continue;
    drift.push(file);
    if (!check) writeFileSync(path, content);
  }
  if (check && drift.length > 0) {
    console.error(`Generated docs are out of date: ${drift.join(", ")}. Run \`npm run docs\`.`);
    process.exit(1);
  }
  console.log(drift.length === 0 ? "docs up to date" : `${check ? "stale" : "updated"}: ${drift.join(", ")}`);
}

if (import.meta.main) await main();
