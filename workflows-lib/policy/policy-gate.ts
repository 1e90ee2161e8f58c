import { assembleFacts, type FactsPorts, type FactsRequest } from "./assemble-facts.ts";
import { auditRecord, type PolicyAuditRecord } from "./audit.ts";
import { checkPolicies, type PolicyCheckRequest, type PolicyFilesPort, type PolicyResult } from "./evaluate-policies.ts";
import type { DeploymentFacts } from "./facts-schema.ts";
import type { OpaPort } from "./opa-port.ts";

export interface PolicyGatePorts {
  facts: FactsPorts;
  opa: OpaPort;
  files: PolicyFilesPort;
}

export interface PolicyGateOutcome {
  facts: DeploymentFacts;
  result: PolicyResult;
  audit: PolicyAuditRecord;
}

/**
 * The policy gate end to end: the facts (assembled for a stage, or given), every policy evaluated against
 * them, and the audit record of the evaluation. Denials are in the result; bad input throws.
 */
export async function runPolicyGate(
  source: { facts: DeploymentFacts } | { request: FactsRequest },
  check: Omit<PolicyCheckRequest, "facts">,
  ports: PolicyGatePorts,
): Promise<PolicyGateOutcome> {
  const facts = "facts" in source ? source.facts : await assembleFacts(source.request, ports.facts);
  const result = await checkPolicies({ ...check, facts }, ports);
  return { facts, result, audit: auditRecord(facts, result, ports.facts.now()) };
}
