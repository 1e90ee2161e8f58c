// The GitHub stand-in for alchkit's tests. See README.md in this folder.
import { AssertionError } from "node:assert";
import type { GitHubStandIn, Violation } from "./server.ts";

export { startGitHubStandIn, CallLog } from "./server.ts";
export type { Call, GitHubStandIn, ResponseMutation, StandInOptions, Violation, ViolationKind } from "./server.ts";
export type { FaultKind, FaultRule, FaultSpec } from "./faults.ts";
export type { ReleaseSeed, SeededDefaults, Seeder } from "./seed.ts";
export type * from "./state.ts";
export { nodeId } from "./factories.ts";

export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => {
      const where = `${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ""}${v.status !== undefined ? ` → ${v.status}` : ""}`;
      const details = v.errors.slice(0, 8).map((e) => `\n      ${e.message}`).join("");
      return `  - [${v.kind}] ${where}: ${v.message}${details}`;
    })
    .join("\n");
}

/** Fails the test when the stand-in saw a call GitHub would reject or sent a response GitHub would not. */
export function assertNoViolations(standIn: Pick<GitHubStandIn, "violations">): void {
  if (standIn.violations.length === 0) return;
  throw new AssertionError({
    message: `GitHub stand-in recorded ${standIn.violations.length} violation(s):\n${formatViolations(standIn.violations)}`,
    actual: standIn.violations,
    expected: [],
    operator: "assertNoViolations",
  });
}
