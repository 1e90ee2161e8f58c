import { annotationCommand } from "../report/workflow-command.ts";
import type { SpecProblem, ValidationReport } from "./validate-spec.ts";

export type ValidationFormat = "text" | "json" | "githubactions";

function where(report: ValidationReport, problem: SpecProblem): string {
  const location = problem.location ? `:${problem.location.line}:${problem.location.column}` : "";
  return `${report.name}${location} ${problem.pointer || "/"}`;
}

/** One line per problem: `file:line:column /json/pointer: message`, or GitHub annotations on the file. */
export function formatValidation(report: ValidationReport, format: ValidationFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format === "githubactions") {
    // Only a file in the repository can carry an annotation; a URL or a command's output cannot.
    const isFile = !/^[a-z][a-z0-9+.-]*:\/\//i.test(report.name) && !report.name.startsWith("stdout of ");
    const annotate = (level: "error" | "warning", problem: SpecProblem): string =>
      annotationCommand(level, problem.message, {
        ...(isFile && problem.location ? { file: report.name, line: problem.location.line, col: problem.location.column } : {}),
        title: `OpenAPI ${problem.pointer || "/"}`,
      });
    return [...report.errors.map((p) => annotate("error", p)), ...report.warnings.map((p) => annotate("warning", p))].map((l) => `${l}\n`).join("");
  }
  const { paths, operations, schemas } = report.stats;
  const lines = [
    ...report.errors.map((p) => `error   ${where(report, p)}: ${p.message}`),
    ...report.warnings.map((p) => `warning ${where(report, p)}: ${p.message}`),
    report.valid
      ? `${report.name}: valid OpenAPI ${report.version} (${paths} paths, ${operations} operations, ${schemas} schemas)`
      : `${report.name}: ${report.errors.length} error${report.errors.length === 1 ? "" : "s"} (OpenAPI ${report.version})`,
  ];
  return `${lines.join("\n")}\n`;
}
