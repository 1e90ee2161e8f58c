/**
 * The policy gate's starter for `alchkit init`: a first repository policy with its `opa test` suite, and the
 * library policies every repository benefits from, enabled in alchkit.config.json. `--skip-policy` leaves
 * them out and turns the gate off in the deploy and promote workflows.
 */

export const POLICY_STARTER_PATHS = ["policies/deployment.rego", "policies/deployment_test.rego"] as const;

/** Library policies a new repository starts with (no parameters: the defaults). */
export const STARTER_LIBRARY = { "stage-isolation": {}, "plain-text-secrets": {}, "compatibility-date": {} };

export function starterPolicy(): string {
  return `# This repository's deployment policies. alchkit's policy gate evaluates every policies/**/*.rego (tests
# excepted) with OPA before each deploy and promotion, with conftest's conventions: \`deny\`, \`violation\`
# and \`warn\` rules (alone or with a suffix) in any package. They read the deployment facts: see
# https://github.com/alchkit/alchkit/blob/main/docs/policy.md. Check a local stage with
#   npx alchkit policy check --stage pr-1 --local
# Library policies (stage isolation, secrets in plain text, compatibility date…) are turned on in
# alchkit.config.json under "policy.library".
package main

# Production only ships a commit whose required checks are green.
deny_red_required_check contains msg if {
	input.target.production
	some check in input.checks.items
	check.required
	check.state != "success"
	msg := sprintf("required check %s is %s on the commit going to production", [check.name, check.detail])
}

# A production Worker without a route or custom domain answers only on workers.dev.
warn_no_route contains msg if {
	input.target.production
	some resource in input.resources
	resource.worker
	count(resource.worker.routes) + count(resource.worker.domains) == 0
	msg := sprintf("Worker %s has no route or custom domain: only its workers.dev URL serves it", [resource.id])
}
`;
}

export function starterPolicyTest(): string {
  return `# \`opa test policies/\` runs these.
package main_test

import data.main

production(checks) := {
	"target": {"production": true, "stage": "prod"},
	"checks": {"items": checks},
	"resources": [{"id": "api", "worker": {"routes": ["api.example.com/*"], "domains": []}}],
}

test_a_red_required_check_stops_production if {
	count(main.deny_red_required_check) == 1 with input as production([{"name": "ci", "state": "failure", "detail": "failure", "required": true}])
}

test_green_checks_pass if {
	count(main.deny_red_required_check) == 0 with input as production([{"name": "ci", "state": "success", "detail": "success", "required": true}])
	count(main.warn_no_route) == 0 with input as production([])
}
`;
}
