# METADATA
# title: Production needs a passed load gate and no unapproved breaking API change
# description: >-
#   A deployment to production carries the load gate's verdict for the candidate, and it passed; when the
#   OpenAPI diff against what production runs has breaking (error-level) changes, they were approved (the
#   breaking-change label on the pull request). Other stages are not concerned.
# custom:
#   params:
#     require_load_gate: deny production without a load-gate result (default true)
#     require_openapi_diff: deny production without an OpenAPI diff (default false)
package alchkit.library.production_readiness

default params := {}

params := data.alchkit.params["production-readiness"]

require_load_gate := object.get(params, "require_load_gate", true)

require_openapi_diff := object.get(params, "require_openapi_diff", false)

production if input.target.production == true

deny_no_load_gate contains msg if {
	production
	require_load_gate == true
	input.loadGate == null
	msg := sprintf("%s is production and no load gate ran for %s: run the load gate on the candidate and pass its result", [target_name, sha])
}

deny_load_gate_failed contains msg if {
	production
	input.loadGate.passed == false
	failed := [sprintf("%s %s", [t.metric, t.expression]) | some t in input.loadGate.thresholds; t.ok == false]
	regressed := [sprintf("%s %s regressed", [r.metric, r.statistic]) | some r in input.loadGate.regressions; r.ok == false]
	msg := sprintf("%s is production and the load gate failed for %s: %s", [target_name, sha, concat("; ", array.concat(failed, regressed))])
}

deny_no_openapi_diff contains msg if {
	production
	require_openapi_diff == true
	input.openapi == null
	msg := sprintf("%s is production and no OpenAPI diff was made for %s", [target_name, sha])
}

deny_unapproved_breaking_change contains msg if {
	production
	input.openapi.counts.error > 0
	input.openapi.approved != true
	ids := {c.id | some c in input.openapi.changes; c.level == "error"}
	msg := sprintf("%s is production and the API has %d unapproved breaking change(s): %s", [target_name, input.openapi.counts.error, concat(", ", sort(ids))])
}

default target_name := "the target"

target_name := input.target.environment

target_name := input.target.stage if not input.target.environment

default sha := "the candidate"

sha := substring(input.target.sha, 0, 7)
