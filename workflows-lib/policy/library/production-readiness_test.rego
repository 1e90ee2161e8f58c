package alchkit.library.production_readiness_test

import data.alchkit.library.production_readiness as policy

passed_gate := {"passed": true, "thresholds": [{"metric": "http_req_duration", "expression": "p(95)<300", "ok": true, "actual": 120}], "regressions": []}

failed_gate := {"passed": false, "thresholds": [{"metric": "http_req_duration", "expression": "p(95)<300", "ok": false, "actual": 450}], "regressions": []}

facts(production, gate, api) := {"target": {"environment": "production", "stage": "prod", "kind": "production", "production": production, "sha": "0123456789abcdef"}, "loadGate": gate, "openapi": api}

breaking(approved) := {"counts": {"error": 1, "warning": 0, "info": 0}, "ids": ["response-property-removed"], "changes": [{"id": "response-property-removed", "level": "error"}], "approved": approved}

denials := ((policy.deny_no_load_gate | policy.deny_load_gate_failed) | policy.deny_no_openapi_diff) | policy.deny_unapproved_breaking_change

test_ready_production_is_allowed if {
	count(denials) == 0 with input as facts(true, passed_gate, null)
}

test_production_without_load_gate_is_denied if {
	some msg in policy.deny_no_load_gate with input as facts(true, null, null)
	contains(msg, "0123456")
}

test_failed_load_gate_names_the_threshold if {
	some msg in policy.deny_load_gate_failed with input as facts(true, failed_gate, null)
	contains(msg, "http_req_duration p(95)<300")
}

test_unapproved_breaking_change_is_denied if {
	some msg in policy.deny_unapproved_breaking_change with input as facts(true, passed_gate, breaking(false))
	contains(msg, "response-property-removed")
}

test_approved_breaking_change_is_allowed if {
	count(policy.deny_unapproved_breaking_change) == 0 with input as facts(true, passed_gate, breaking(true))
}

test_other_stages_are_not_concerned if {
	count(denials) == 0 with input as facts(false, null, breaking(false))
}

test_load_gate_requirement_is_a_parameter if {
	count(policy.deny_no_load_gate) == 0 with input as facts(true, null, null)
		with data.alchkit.params as {"production-readiness": {"require_load_gate": false}}
}

test_openapi_diff_can_be_required if {
	count(policy.deny_no_openapi_diff) == 1 with input as facts(true, passed_gate, null)
		with data.alchkit.params as {"production-readiness": {"require_openapi_diff": true}}
}
