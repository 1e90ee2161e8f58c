import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { diagnose } from "../../doctor/diagnose.ts";
import { renderDoctorMarkdown } from "../../doctor/render-findings.ts";
import { EXIT, InputError } from "../../errors.ts";
import { loadConfig } from "../../local/config-file.ts";
import { doctorPorts } from "../../local/doctor-repository.ts";
import { defineCommand } from "../command.ts";

export const doctorCommand = defineCommand({
  path: ["doctor"],
  summary: "Find the hazards of an Alchemy repository: shared resource names, stage defaults, CI workflows that leak previews",
  description:
    "Reads the repository's workflows, every alchemy.run.ts (all of a monorepo), its package manager files and the state of " +
    "its local stages (after two stages ran locally, `alchkit preview up --local --stage pr-1` and `--stage pr-2`, the physical names they got), and reports each hazard " +
    "with the file and line, why it bites and the fix. docs/doctor.md lists the checks. Exit 1 when a finding is an error.",
  flags: z.object({
    dir: z.string().min(1).default(".").describe("Repository to check"),
    format: z.enum(["json", "markdown"], { error: "json or markdown" }).default("markdown").describe("Output: markdown (for people) or json ({findings:[…]})"),
  }),
  examples: ["alchkit doctor", "alchkit doctor --dir ../my-app --format json"],
  async run({ flags }, ctx) {
    const root = path.resolve(ctx.cwd, flags.dir);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new InputError("--dir", "an existing folder", root);
    const { config, file } = await loadConfig(root);
    const report = diagnose(doctorPorts(root), {
      config,
      ...(file?.endsWith(".json") ? { configFile: { file, text: readFileSync(path.join(root, file), "utf8") } } : {}),
    });
    if (report.read.entries.length === 0) throw new InputError("--dir", "a repository with an Alchemy app (an alchemy.run.ts)", `none found in ${root}`);
    ctx.stdout(flags.format === "json" ? `${JSON.stringify({ findings: report.findings }, null, 2)}\n` : renderDoctorMarkdown(report));
    return report.findings.some((f) => f.level === "error") ? EXIT.gateFailed : EXIT.ok;
  },
});
