import type { CommandSpec } from "./command.ts";
import { flagInfo } from "./parse-argv.ts";

export function usageLine(spec: CommandSpec): string {
  const positionals = (spec.positionals ?? []).map((p) => (p.required === false ? `[${p.name}]` : p.name));
  return ["alchkit", ...spec.path, ...positionals, "[flags]"].join(" ");
}

/** `alchkit <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`${usageLine(spec)}`, "", spec.summary];
  if (spec.description) lines.push("", spec.description);
  if (spec.positionals?.length) {
    lines.push("", "Arguments:");
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(24)} ${p.description}`);
  }
  const flags = flagInfo(spec);
  lines.push("", "Flags:");
  for (const f of flags) {
    const value = f.kind === "boolean" ? "" : f.choices ? ` <${f.choices.join("|")}>` : " <value>";
    const extra = [f.required ? "required" : "", f.defaultValue !== undefined ? `default: ${String(f.defaultValue)}` : "", f.kind === "list" ? "repeatable" : ""]
      .filter(Boolean)
      .join("; ");
    lines.push(`  ${(f.flag + value).padEnd(32)} ${f.description}${extra ? ` (${extra})` : ""}`);
  }
  lines.push(`  ${"-h, --help".padEnd(32)} Show this help`);
  if (spec.examples?.length) lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  return lines.join("\n") + "\n";
}

/** `alchkit --help`. */
export function overviewHelp(specs: CommandSpec[], version: string): string {
  const width = Math.max(...specs.map((s) => s.path.join(" ").length), 10) + 2;
  return [
    `alchkit ${version} — ship Alchemy apps on Cloudflare from GitHub Actions, or locally on workerd`,
    "",
    "Usage: alchkit <command> [flags]",
    "",
    "Commands:",
    ...specs.map((s) => `  ${s.path.join(" ").padEnd(width)} ${s.summary}`),
    "",
    "Exit codes: 0 ok, 1 a gate failed, 2 bad input.",
    "Run `alchkit <command> --help` for the flags of a command.",
  ].join("\n") + "\n";
}
