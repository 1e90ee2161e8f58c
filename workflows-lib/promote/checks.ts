/**
 * Required checks on a candidate SHA. GitHub has two kinds of "checks" on a commit: check runs (Actions jobs,
 * apps) and commit statuses (older integrations). A promotion needs both kinds to be green.
 */

export type CheckOutcome = "success" | "failure" | "pending";

export interface CommitCheck {
  name: string;
  kind: "check-run" | "status";
  outcome: CheckOutcome;
  /** Raw conclusion/state as GitHub reports it, for the message (e.g. `timed_out`, `error`). */
  detail: string;
  url?: string;
}

export interface CheckRunLike {
  name: string;
  status: string;
  conclusion: string | null;
  html_url?: string | null;
  details_url?: string | null;
}

export interface StatusLike {
  context: string;
  state: string;
  target_url?: string | null;
}

/** Conclusions GitHub itself treats as passing for required checks. */
const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

export function fromCheckRun(run: CheckRunLike): CommitCheck {
  const url = run.html_url ?? run.details_url ?? undefined;
  if (run.status !== "completed") {
    return { name: run.name, kind: "check-run", outcome: "pending", detail: run.status, ...(url ? { url } : {}) };
  }
  const conclusion = run.conclusion ?? "none";
  const outcome: CheckOutcome = PASSING_CONCLUSIONS.has(conclusion) ? "success" : "failure";
  return { name: run.name, kind: "check-run", outcome, detail: conclusion, ...(url ? { url } : {}) };
}

/** `statuses` newest first, as GitHub lists them: only the newest status of each context counts. */
export function fromStatuses(statuses: StatusLike[]): CommitCheck[] {
  const seen = new Set<string>();
  const checks: CommitCheck[] = [];
  for (const status of statuses) {
    if (seen.has(status.context)) continue;
    seen.add(status.context);
    const outcome: CheckOutcome =
      status.state === "success" ? "success" : status.state === "pending" ? "pending" : "failure";
    checks.push({
      name: status.context,
      kind: "status",
      outcome,
      detail: status.state,
      ...(status.target_url ? { url: status.target_url } : {}),
    });
  }
  return checks;
}

export interface CheckVerdict {
  ok: boolean;
  /** Checks that must be green and are not (failed, pending, or never reported). */
  failing: { name: string; detail: string; url?: string }[];
  /** Checks that counted and are green. */
  passing: string[];
}

/**
 * `required` empty = every check on the SHA must be green (and there must be none pending);
 * otherwise exactly the named ones must be present and green. `ignore` drops checks by name (e.g. the
 * job running this very promotion).
 */
export function evaluateChecks(checks: CommitCheck[], required: string[], ignore: string[] = []): CheckVerdict {
  const considered = checks.filter((check) => !ignore.includes(check.name));
  const failing: CheckVerdict["failing"] = [];
  const passing: string[] = [];
  const judge = (check: CommitCheck): void => {
    if (check.outcome === "success") passing.push(check.name);
    else failing.push({ name: check.name, detail: check.detail, ...(check.url ? { url: check.url } : {}) });
  };
  if (required.length === 0) {
    considered.forEach(judge);
  } else {
    for (const name of required) {
      const matching = considered.filter((check) => check.name === name);
      if (matching.length === 0) failing.push({ name, detail: "not reported on this commit" });
      // A name reported both as a check run and a status must be green in both.
      else if (matching.every((check) => check.outcome === "success")) passing.push(name);
      else judge(matching.find((check) => check.outcome !== "success")!);
    }
  }
  return { ok: failing.length === 0, failing, passing };
}

export function describeFailing(verdict: CheckVerdict): string {
  return verdict.failing.map((check) => `${check.name} (${check.detail})`).join(", ");
}
