# METADATA
# title: License allowlist
# description: >-
#   Every runtime dependency (devDependencies too with include_dev) declares a license on the allowlist, as
#   its installed package.json says. SPDX expressions: `A OR B` passes when either is allowed, `A AND B` when
#   both are, `A WITH exception` is judged by A. A package that declares no license warns (or denies, with
#   unknown: "deny"); `packages` exempts named packages, with the reason as value.
# custom:
#   params:
#     allow: allowed SPDX ids
#     include_dev: also check devDependencies (default false)
#     packages: exempt package names, name -> reason (default none)
#     unknown: deny or warn for a package without a license (default warn)
package alchkit.library.license_allowlist

default params := {}

params := data.alchkit.params["license-allowlist"]

default_allow := [
	"MIT", "MIT-0", "ISC", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "0BSD", "BlueOak-1.0.0",
	"CC0-1.0", "Unlicense", "Python-2.0", "CC-BY-4.0", "Zlib",
]

allow := {lower(id) | some id in object.get(params, "allow", default_allow)}

include_dev := object.get(params, "include_dev", false)

exempt := object.get(params, "packages", {})

unknown_level := object.get(params, "unknown", "warn")

checked contains dep if {
	some dep in input.dependencies
	included(dep)
	not exempt[dep.name]
}

included(dep) if dep.dev == false

included(_) if include_dev == true

# One SPDX id: `Apache-2.0 WITH LLVM-exception` is Apache-2.0; a trailing + (or-later) is the id itself.
term_allowed(term) if {
	id := trim_suffix(trim_space(split(trim_space(term), " WITH ")[0]), "+")
	lower(id) in allow
}

conjunction_allowed(part) if {
	terms := split(part, " AND ")
	every term in terms {
		term_allowed(term)
	}
}

allowed(license) if {
	expression := replace(replace(license, "(", ""), ")", "")
	some part in split(expression, " OR ")
	conjunction_allowed(part)
}

deny_license contains msg if {
	some dep in checked
	dep.license != null
	not allowed(dep.license)
	msg := sprintf("%s@%s is licensed %s, which is not on the allowlist (add it to license-allowlist.allow, or exempt the package with a reason)", [dep.name, dep.version, dep.license])
}

deny_unknown_license contains msg if {
	unknown_level == "deny"
	some dep in checked
	dep.license == null
	msg := sprintf("%s@%s declares no license (or is not installed): its terms are unknown", [dep.name, dep.version])
}

warn_unknown_license contains msg if {
	unknown_level != "deny"
	some dep in checked
	dep.license == null
	msg := sprintf("%s@%s declares no license (or is not installed): its terms are unknown", [dep.name, dep.version])
}
