import { blocks, code, details, escapeCell, heading, shortSha, table } from "../report/markdown.ts";
import type { DeploymentFacts } from "./facts-schema.ts";
import type { PolicyResult } from "./evaluate-policies.ts";

/** The sticky comment / step summary of a policy evaluation: verdict, then every finding with file and rule. */
export function renderPolicyReport(result: PolicyResult, facts: DeploymentFacts): string {
  const denied = result.findings.filter((f) => f.level === "deny");
  const warned = result.findings.filter((f) => f.level === "warn");
  const where = facts.target.environment ? `${facts.target.environment} (stage ${facts.target.stage})` : `stage ${facts.target.stage}`;
  const sha = facts.target.sha ? ` at ${code(shortSha(facts.target.sha))}` : "";
  const verdict = result.passed
    ? `✅ **Policies passed** for ${escapeCell(where)}${sha}${warned.length > 0 ? ` with ${warned.length} warning(s)` : ""}.`
    : `❌ **Policies denied** the deployment to ${escapeCell(where)}${sha}: ${denied.length} denial(s)${warned.length > 0 ? `, ${warned.length} warning(s)` : ""}.`;
  const findings =
    result.findings.length > 0
      ? table(
          ["", "Policy", "Rule", "Finding"],
          result.findings.map((f) => [
            f.level === "deny" ? "❌ deny" : "⚠️ warn",
            code(`${f.policy}${f.line ? `:${f.line}` : ""}`),
            code(f.rule),
            escapeCell(f.message),
          ]),
        )
      : undefined;
  const excepted =
    result.excepted.length > 0
      ? details(
          `${result.excepted.length} denial(s) turned off by exception rules`,
          table(["Policy", "Rule", "Finding"], result.excepted.map((e) => [code(e.policy), code(e.rule), escapeCell(e.message)])),
        )
      : undefined;
  const facts_ = `Facts: ${facts.resources.length} resource(s) of stage ${code(facts.stage.name)} (${facts.stage.source}), ${facts.dependencies.length} dependencies, ${facts.checks.items.length} check(s), load gate ${facts.loadGate ? (facts.loadGate.passed ? "passed" : "failed") : "none"}, OpenAPI diff ${facts.openapi ? `${facts.openapi.counts.error} breaking` : "none"}.`;
  const audit = `Evaluated ${result.policies.length} policy file(s) with OPA ${result.opaVersion}; facts sha256 ${code(result.inputDigest.slice(0, 12))}, policies sha256 ${code(result.policyDigest.slice(0, 12))}.`;
  return blocks(heading(3, "Policy gate"), verdict, findings, excepted, details("Evaluation", `${facts_}\n\n${audit}\n\nPolicies: ${result.policies.map(code).join(", ")}`));
}

/** One line per finding for a terminal or a log. */
export function renderPolicyText(result: PolicyResult): string {
  const lines = result.findings.map((f) => `${f.level.toUpperCase()} ${f.policy}${f.line ? `:${f.line}` : ""} ${f.rule}: ${f.message}`);
  lines.push(
    result.passed
      ? `policies passed (${result.findings.length} warning(s), ${result.policies.length} file(s))`
      : `policies denied: ${result.findings.filter((f) => f.level === "deny").length} denial(s)`,
  );
  return lines.join("\n");
}
