import { z } from "zod";
import { InputError } from "../errors.ts";
import { firstIssue, parseJsonInput } from "../validate.ts";
import type { PolicyAuditRecord } from "../policy/audit.ts";
import { entryKey, type AppendRecord, type JsonObject, type Ledger, type LedgerEntry } from "./ledger.ts";

/**
 * The policy gate's audit record in the ledger. The gate's own job holds no `deployments: write`; the job that
 * performs the gated operation appends the record: a `policy-audit` entry about the operation it created (an
 * allowed evaluation), or — when the gate refused and nothing was deployed — a `policy-audit` entry about
 * nothing, on the target environment, so an auditor sees refusals too. Like every entry, the ledger trusts it
 * only when the kit's own jobs wrote it.
 */

const digest = z.string().regex(/^[0-9a-f]{64}$/, { error: "a sha256 hex digest" });
const AuditRecord = z
  .object({
    kind: z.literal("policy-evaluation"),
    at: z.string(),
    stage: z.string(),
    target: z.object({ environment: z.string().optional(), stage: z.string(), sha: z.string().optional() }),
    inputDigest: digest,
    policyDigest: digest,
    opaVersion: z.string(),
    passed: z.boolean(),
    counts: z.object({ deny: z.number(), warn: z.number(), excepted: z.number() }),
    findings: z.array(z.object({ policy: z.string(), rule: z.string(), level: z.enum(["deny", "warn"]), message: z.string() })),
    policies: z.array(z.string()),
    actor: z.string().optional(),
    runUrl: z.string().optional(),
  })
  .strict();

/** The policy action's `audit` output, as the gated job receives it; one clear error naming the input otherwise. */
export function parsePolicyAudit(text: string, inputName: string): PolicyAuditRecord {
  const parsed = AuditRecord.safeParse(parseJsonInput(text, inputName, "the policy gate's audit record (JSON)"));
  if (!parsed.success) {
    throw new InputError(inputName, "the policy gate's audit record (the policy action's `audit` output)", firstIssue(parsed.error, "record"));
  }
  return parsed.data as PolicyAuditRecord;
}

/** Short text of the verdict (GitHub keeps 140 characters of a status description). */
export function policyAuditDescription(audit: PolicyAuditRecord): string {
  const { deny, warn } = audit.counts;
  const text = audit.passed
    ? `Policy gate allowed (${audit.policies.length} policies, ${warn} warning(s))`
    : `Policy gate refused: ${audit.findings.filter((f) => f.level === "deny").map((f) => `${f.policy} ${f.rule}`).join(", ") || `${deny} denial(s)`}`;
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

export interface PolicyRecordTarget {
  /** The job appending it (entries are keyed by it: a re-run writes nothing new). */
  run: string;
  environment: string;
  sha: string;
  ref: string;
  /** The operation entry the evaluation gated; absent for a refusal (nothing was deployed). */
  about?: string;
  url?: string;
}

export function policyAuditEntry(audit: PolicyAuditRecord, target: PolicyRecordTarget): AppendRecord {
  return {
    kind: "policy-audit",
    key: entryKey(target.run, "policy-audit", target.environment, target.sha),
    environment: target.environment,
    sha: target.sha,
    ref: target.ref,
    ...(target.about ? { about: target.about } : {}),
    state: audit.passed ? "success" : "failure",
    data: audit as unknown as JsonObject,
    description: policyAuditDescription(audit),
    ...(target.url ? { url: target.url } : {}),
  };
}

/** Appends the audit record of an evaluation (see the module comment for where it goes). */
export function recordPolicyAudit(ledger: Ledger, audit: PolicyAuditRecord, target: PolicyRecordTarget): Promise<LedgerEntry> {
  return ledger.append(policyAuditEntry(audit, target));
}

/**
 * The gate refused: nothing is deployed, and the refusal goes on record about no deployment, for the candidate
 * the audit names (else the given SHA). Returns the SHA and the failure the shell reports.
 */
export async function recordRefusal(
  ledger: Ledger,
  audit: PolicyAuditRecord,
  target: { run: string; environment: string; sha: string; ref?: string; url?: string },
): Promise<{ sha: string; message: string }> {
  const sha = audit.target.sha ?? target.sha;
  const record = await recordPolicyAudit(ledger, audit, { run: target.run, environment: target.environment, sha, ref: target.ref ?? sha, ...(target.url ? { url: target.url } : {}) });
  return {
    sha,
    message: `The policy gate denied ${sha.slice(0, 7)} for ${target.environment}: nothing is deployed; the refusal is recorded in the ledger (entry ${record.id}).`,
  };
}
