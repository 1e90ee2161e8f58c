package alchkit.library.workers_budget_test

import data.alchkit.library.workers_budget as policy

worker(id, bindings, gzip) := {"id": id, "kind": "cloudflare::Worker", "worker": {"compatibilityFlags": [], "routes": [], "domains": [], "bindings": bindings, "bundle": {"bytes": gzip * 3, "gzipBytes": gzip}}}

facts(resources) := {"stage": {"name": "pr-1", "kind": "preview"}, "resources": resources}

plain(n) := [{"name": sprintf("V%d", [i]), "type": "plain_text", "value": "x"} | some i in numbers.range(1, n)]

denials := (((policy.deny_resources | policy.deny_workers) | policy.deny_bindings) | policy.deny_routes) | policy.deny_script_size

test_small_stage_is_within_budget if {
	count(denials) == 0 with input as facts([worker("api", plain(3), 40000)])
	count(policy.warn_script_size) == 0 with input as facts([worker("api", plain(3), 40000)])
}

test_too_many_bindings_is_denied if {
	some msg in policy.deny_bindings with input as facts([worker("api", plain(65), 1000)])
	contains(msg, "65 bindings")
}

test_too_many_resources_is_denied if {
	resources := [{"id": sprintf("kv%d", [i]), "kind": "cloudflare::KVNamespace"} | some i in numbers.range(1, 51)]
	count(policy.deny_resources) == 1 with input as facts(resources)
}

test_oversized_script_is_denied if {
	some msg in policy.deny_script_size with input as facts([worker("api", [], 4 * 1048576)])
	contains(msg, "4096 KiB")
}

test_script_close_to_the_budget_warns if {
	count(policy.warn_script_size) == 1 with input as facts([worker("api", [], 2800 * 1024)])
}

test_budgets_are_parameters if {
	count(policy.deny_workers) == 1 with input as facts([worker("a", [], 1), worker("b", [], 1)])
		with data.alchkit.params as {"workers-budget": {"max_workers": 1}}
}

test_unknown_size_is_not_judged if {
	count(policy.deny_script_size) == 0 with input as facts([{"id": "api", "kind": "cloudflare::Worker", "worker": {"compatibilityFlags": [], "routes": [], "domains": [], "bindings": []}}])
}
