package alchkit.library.license_allowlist_test

import data.alchkit.library.license_allowlist as policy

dep(name, license, dev) := {"name": name, "version": "1.0.0", "license": license, "direct": true, "dev": dev}

facts(deps) := {"dependencies": deps}

test_permissive_licenses_are_allowed if {
	count(policy.deny_license) == 0 with input as facts([dep("a", "MIT", false), dep("b", "Apache-2.0", false), dep("c", "ISC", false)])
}

test_copyleft_is_denied if {
	some msg in policy.deny_license with input as facts([dep("gpl-thing", "GPL-3.0-only", false)])
	contains(msg, "gpl-thing@1.0.0")
	contains(msg, "GPL-3.0-only")
}

test_or_expressions_pass_when_one_side_is_allowed if {
	count(policy.deny_license) == 0 with input as facts([dep("dual", "(MIT OR GPL-3.0-or-later)", false)])
}

test_and_expressions_need_both if {
	count(policy.deny_license) == 1 with input as facts([dep("both", "MIT AND GPL-2.0-only", false)])
}

test_with_exceptions_are_judged_by_the_license if {
	count(policy.deny_license) == 0 with input as facts([dep("llvm", "Apache-2.0 WITH LLVM-exception", false)])
}

test_dev_dependencies_are_skipped_by_default if {
	count(policy.deny_license) == 0 with input as facts([dep("tool", "GPL-3.0-only", true)])
	count(policy.deny_license) == 1 with input as facts([dep("tool", "GPL-3.0-only", true)])
		with data.alchkit.params as {"license-allowlist": {"include_dev": true}}
}

test_exempt_packages_are_skipped if {
	count(policy.deny_license) == 0 with input as facts([dep("gpl-thing", "GPL-3.0-only", false)])
		with data.alchkit.params as {"license-allowlist": {"packages": {"gpl-thing": "build tool, not shipped"}}}
}

test_unknown_license_warns_or_denies if {
	count(policy.warn_unknown_license) == 1 with input as facts([dep("mystery", null, false)])
	count(policy.deny_unknown_license) == 1 with input as facts([dep("mystery", null, false)])
		with data.alchkit.params as {"license-allowlist": {"unknown": "deny"}}
}

test_allowlist_is_a_parameter if {
	count(policy.deny_license) == 1 with input as facts([dep("a", "MIT", false)])
		with data.alchkit.params as {"license-allowlist": {"allow": ["Apache-2.0"]}}
}
