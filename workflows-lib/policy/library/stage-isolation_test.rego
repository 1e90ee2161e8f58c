package alchkit.library.stage_isolation_test

import data.alchkit.library.stage_isolation

worker(bindings) := {"id": "api", "fqn": "app/pr-7/api", "kind": "cloudflare::Worker", "physicalName": "app-api-pr-7", "worker": {"compatibilityFlags": [], "routes": [], "domains": [], "bindings": bindings}}

d1(binding, name) := {"name": binding, "type": "resource", "resource": {"kind": "cloudflare::D1Database", "fqn": "app/pr-7/db", "physicalName": name}}

facts(kind, bindings) := {"stage": {"name": "pr-7", "kind": kind, "source": "local-state"}, "resources": [worker(bindings)]}

test_preview_bound_to_production_database_is_denied if {
	some msg in stage_isolation.deny_foreign_binding with input as facts("preview", [d1("DB", "app-db-prod")])
	contains(msg, `"app-db-prod"`)
	contains(msg, "DB")
}

test_preview_bound_to_its_own_database_is_allowed if {
	count(stage_isolation.deny_foreign_binding) == 0 with input as facts("preview", [d1("DB", "app-db-pr-7")])
}

test_a_longer_stage_is_not_the_stage if {
	count(stage_isolation.deny_foreign_binding) == 1 with input as facts("preview", [d1("DB", "app-db-pr-77")])
}

test_plain_bindings_are_not_resources if {
	count(stage_isolation.deny_foreign_binding) == 0 with input as facts("preview", [{"name": "MODE", "type": "plain_text", "value": "prod"}])
}

test_production_is_not_checked_by_default if {
	count(stage_isolation.deny_foreign_binding) == 0 with input as facts("production", [d1("DB", "orders")])
}

test_production_is_checked_when_listed if {
	count(stage_isolation.deny_foreign_binding) == 1 with input as facts("production", [d1("DB", "orders")])
		with data.alchkit.params as {"stage-isolation": {"stages": ["production"]}}
}

test_shared_resources_are_allowed_by_name if {
	count(stage_isolation.deny_foreign_binding) == 0 with input as facts("preview", [d1("GEO", "geoip-dataset")])
		with data.alchkit.params as {"stage-isolation": {"shared": ["geoip-dataset"]}}
}

test_shared_resources_are_allowed_by_fqn if {
	count(stage_isolation.deny_foreign_binding) == 0 with input as facts("preview", [d1("GEO", "geoip-dataset")])
		with data.alchkit.params as {"stage-isolation": {"shared": ["app/pr-7/db"]}}
}
