# METADATA
# title: No secret in a plain-text binding
# description: >-
#   A plain_text binding is visible to anyone who can read the Worker's settings, in the dashboard and the
#   API. A credential there is leaked: put it in alchemy.secret() (a secret_text binding). Recognised: known
#   token formats (GitHub, Stripe, AWS, Slack, Google, Cloudflare-style bearer tokens, JWTs), private keys,
#   URLs with a password, and long random-looking values under a secret-sounding name. Messages never repeat
#   the value.
# custom:
#   params:
#     allow: binding names never flagged (default none)
#     min_entropy_length: shortest value the name-based check looks at (default 20)
package alchkit.library.plain_text_secrets

default params := {}

params := data.alchkit.params["plain-text-secrets"]

allow := object.get(params, "allow", [])

min_length := object.get(params, "min_entropy_length", 20)

token_formats := {
	"a GitHub token": `(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}`,
	"a GitHub fine-grained token": `github_pat_[A-Za-z0-9_]{50,}`,
	"a Stripe secret key": `(sk|rk)_(live|test)_[A-Za-z0-9]{16,}`,
	"an AWS access key id": `(AKIA|ASIA)[0-9A-Z]{16}`,
	"a Slack token": `xox[abposr]-[A-Za-z0-9-]{10,}`,
	"a Google API key": `AIza[0-9A-Za-z_-]{35}`,
	"a private key": `-----BEGIN ([A-Z]+ )?PRIVATE KEY-----`,
	"a JSON Web Token": `eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
	"a URL with a password": `[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`,
}

secret_name := `(?i)(secret|token|passw(or)?d|pwd|api[_-]?key|private[_-]?key|credential|auth|signing[_-]?key|access[_-]?key)`

plain_bindings contains [resource, binding] if {
	some resource in input.resources
	some binding in resource.worker.bindings
	binding.type == "plain_text"
	not binding.name in allow
}

looks_random(value) if {
	count(value) >= min_length
	regex.match(`^[A-Za-z0-9+/=_.~-]+$`, value)
	regex.match(`[0-9]`, value)
	regex.match(`[A-Za-z]`, value)
	not regex.match(`^[a-z]+(-[a-z]+)*$`, value)
}

deny_known_format contains msg if {
	some [resource, binding] in plain_bindings
	some what, pattern in token_formats
	regex.match(pattern, binding.value)
	msg := sprintf("%s binds %s as plain text, and its value looks like %s: bind it with alchemy.secret() instead (and rotate it: it has been visible)", [resource.id, binding.name, what])
}

deny_secret_name contains msg if {
	some [resource, binding] in plain_bindings
	regex.match(secret_name, binding.name)
	looks_random(binding.value)
	not known_format(binding.value)
	msg := sprintf("%s binds %s as plain text: a secret-sounding name with a %d-character random-looking value; bind it with alchemy.secret() (or list %s in plain-text-secrets.allow)", [resource.id, binding.name, count(binding.value), binding.name])
}

known_format(value) if {
	some pattern in token_formats
	regex.match(pattern, value)
}
