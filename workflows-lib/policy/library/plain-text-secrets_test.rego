package alchkit.library.plain_text_secrets_test

import data.alchkit.library.plain_text_secrets as policy

facts(name, value) := {"resources": [{"id": "api", "kind": "cloudflare::Worker", "worker": {"compatibilityFlags": [], "routes": [], "domains": [], "bindings": [{"name": name, "type": "plain_text", "value": value}]}}]}

secret(name) := {"resources": [{"id": "api", "kind": "cloudflare::Worker", "worker": {"compatibilityFlags": [], "routes": [], "domains": [], "bindings": [{"name": name, "type": "secret_text"}]}}]}

test_stripe_key_in_plain_text_is_denied_without_repeating_it if {
	some msg in policy.deny_known_format with input as facts("PAYMENTS", concat("", ["sk_", "live_", "4eC39HqLyjWDarjtT1zdp7dc"]))
	contains(msg, "Stripe")
	not contains(msg, "4eC39HqLyjWDarjtT1zdp7dc")
}

test_github_token_is_denied if {
	count(policy.deny_known_format) == 1 with input as facts("GH", concat("", ["ghp_", "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"]))
}

test_url_with_password_is_denied if {
	count(policy.deny_known_format) == 1 with input as facts("DATABASE_URL", "postgres://app:hunter2@db.example.com/app")
}

test_secret_name_with_random_value_is_denied if {
	count(policy.deny_secret_name) == 1 with input as facts("API_KEY", "q8Zr2pL0vX7mN4tB9cW1yH6d")
}

test_ordinary_settings_are_allowed if {
	count(policy.deny_known_format) == 0 with input as facts("API_BASE", "https://api.example.com/v1")
	count(policy.deny_secret_name) == 0 with input as facts("AUTH_MODE", "oauth-device-code-flow")
	count(policy.deny_secret_name) == 0 with input as facts("TOKEN_TTL", "3600")
}

test_secret_bindings_are_fine if {
	count(policy.deny_known_format) == 0 with input as secret("STRIPE_KEY")
	count(policy.deny_secret_name) == 0 with input as secret("STRIPE_KEY")
}

test_allowlisted_names_are_not_flagged if {
	count(policy.deny_secret_name) == 0 with input as facts("PUBLIC_API_KEY", "q8Zr2pL0vX7mN4tB9cW1yH6d")
		with data.alchkit.params as {"plain-text-secrets": {"allow": ["PUBLIC_API_KEY"]}}
}
