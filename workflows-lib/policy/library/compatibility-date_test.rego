package alchkit.library.compatibility_date_test

import data.alchkit.library.compatibility_date as policy

facts(date) := {
	"generatedAt": "2026-06-01T12:00:00Z",
	"resources": [{"id": "api", "kind": "cloudflare::Worker", "worker": {"compatibilityDate": date, "compatibilityFlags": [], "bindings": [], "routes": [], "domains": []}}],
}

no_date := {
	"generatedAt": "2026-06-01T12:00:00Z",
	"resources": [{"id": "api", "kind": "cloudflare::Worker", "worker": {"compatibilityFlags": [], "bindings": [], "routes": [], "domains": []}}],
}

test_recent_date_is_allowed if {
	count(policy.deny_too_old) == 0 with input as facts("2026-03-01")
	count(policy.warn_aging) == 0 with input as facts("2026-03-01")
}

test_old_date_is_denied_with_its_age if {
	some msg in policy.deny_too_old with input as facts("2024-06-01")
	contains(msg, "730 days old")
}

test_aging_date_warns if {
	count(policy.deny_too_old) == 0 with input as facts("2025-09-01")
	count(policy.warn_aging) == 1 with input as facts("2025-09-01")
}

test_max_age_is_a_parameter if {
	count(policy.deny_too_old) == 1 with input as facts("2026-03-01")
		with data.alchkit.params as {"compatibility-date": {"max_age_days": 30}}
}

test_missing_date_is_denied if {
	count(policy.deny_missing) == 1 with input as no_date
}

test_malformed_date_is_denied if {
	count(policy.deny_invalid) == 1 with input as facts("June 2026")
}

test_non_workers_are_ignored if {
	count(policy.deny_missing) == 0 with input as {"generatedAt": "2026-06-01T12:00:00Z", "resources": [{"id": "db", "kind": "cloudflare::D1Database"}]}
}
