import type { DeploymentFacts } from "./facts-schema.ts";
import type { PolicyResult } from "./evaluate-policies.ts";

/**
 * The audit record of one policy evaluation: enough to prove later which facts were judged by which policies
 * and what was decided — the facts' and the policies' sha256, OPA's version, the verdict and every finding.
 * The facts themselves are not in it (they can be large, and the digest identifies them).
 */
export interface PolicyAuditRecord {
  kind: "policy-evaluation";
  at: string;
  stage: string;
  target: { environment?: string; stage: string; sha?: string };
  inputDigest: string;
  policyDigest: string;
  opaVersion: string;
  passed: boolean;
  counts: { deny: number; warn: number; excepted: number };
  findings: { policy: string; rule: string; level: "deny" | "warn"; message: string }[];
  policies: string[];
  actor?: string;
  runUrl?: string;
}

export function auditRecord(facts: DeploymentFacts, result: PolicyResult, at: Date): PolicyAuditRecord {
  return {
    kind: "policy-evaluation",
    at: at.toISOString(),
    stage: facts.stage.name,
    target: {
      ...(facts.target.environment ? { environment: facts.target.environment } : {}),
      stage: facts.target.stage,
      ...(facts.target.sha ? { sha: facts.target.sha } : {}),
    },
    inputDigest: result.inputDigest,
    policyDigest: result.policyDigest,
    opaVersion: result.opaVersion,
    passed: result.passed,
    counts: {
      deny: result.findings.filter((f) => f.level === "deny").length,
      warn: result.findings.filter((f) => f.level === "warn").length,
      excepted: result.excepted.length,
    },
    findings: result.findings.map(({ policy, rule, level, message }) => ({ policy, rule, level, message })),
    policies: result.policies,
    ...(facts.trigger.actor ? { actor: facts.trigger.actor } : {}),
    ...(facts.trigger.runUrl ? { runUrl: facts.trigger.runUrl } : {}),
  };
}

/** The contract output of `alchkit policy check` and the action's `result`: {passed, findings}. */
export function resultJson(result: PolicyResult): Record<string, unknown> {
  return {
    passed: result.passed,
    findings: result.findings.map((f) => ({
      policy: f.policy,
      rule: f.rule,
      level: f.level,
      message: f.message,
      namespace: f.namespace,
      ...(f.line ? { line: f.line } : {}),
      ...(f.details ? { details: f.details } : {}),
    })),
    ...(result.excepted.length > 0 ? { excepted: result.excepted } : {}),
    policies: result.policies,
    opaVersion: result.opaVersion,
    inputDigest: result.inputDigest,
    policyDigest: result.policyDigest,
  };
}
