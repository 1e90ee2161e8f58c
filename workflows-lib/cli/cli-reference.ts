import type { CommandSpec } from "./command.ts";
import { usageLine } from "./help.ts";
import { flagInfo } from "./parse-argv.ts";
import { code, escapeCell, table } from "../report/markdown.ts";

/** docs/cli.md, generated from the command definitions (the same ones `--help` prints). */
export function renderCliReference(specs: CommandSpec[]): string {
  const sections = specs.map((spec) => {
    const flags = flagInfo(spec);
    const rows = flags.map((f) => [
      code(f.flag + (f.kind === "boolean" ? "" : " <value>")),
      f.required ? "yes" : "no",
      f.defaultValue === undefined ? "" : code(String(f.defaultValue)),
      escapeCell(f.description + (f.choices ? ` One of ${f.choices.join(", ")}.` : "") + (f.kind === "list" ? " Repeatable." : "")),
    ]);
    const positionals = (spec.positionals ?? []).map((p) => `- ${code(p.name)}: ${p.description}`).join("\n");
    return [
      `## alchkit ${spec.path.join(" ")}`,
      "",
      spec.summary,
      spec.description ? `\n${spec.description}` : "",
      "",
      "```",
      usageLine(spec),
      "```",
      positionals ? `\n${positionals}` : "",
      rows.length > 0 ? `\n${table(["Flag", "Required", "Default", "Description"], rows)}` : "",
      spec.examples?.length ? `\nExamples:\n\n\`\`\`sh\n${spec.examples.join("\n")}\n\`\`\`` : "",
    ]
      .filter((s) => s !== "")
      .join("\n");
  });
  return [
    "# alchkit CLI reference",
    "",
    "<!-- Generated from the command definitions in workflows-lib/cli/commands/ by `npm run docs`. Do not edit. -->",
    "",
    "Every action of the kit is also a command, so the pipeline runs on a laptop or in another CI.",
    "Exit codes: `0` ok, `1` a gate failed, `2` bad input (one message naming the flag).",
    "",
    ...specs.map((s) => `- [\`alchkit ${s.path.join(" ")}\`](#alchkit-${s.path.join("-")}) — ${s.summary}`),
    "",
    sections.join("\n\n"),
    "",
  ].join("\n");
}
