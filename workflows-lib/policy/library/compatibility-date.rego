# METADATA
# title: Compatibility date not too old
# description: >-
#   Every Worker states a compatibility date, and it is no older than max_age_days before the facts were
#   assembled (warn from warn_age_days): an old date keeps a Worker on runtime behaviour Cloudflare has long
#   since fixed, and the jump grows with every month it is left.
# custom:
#   params:
#     max_age_days: oldest allowed age in days (default 365)
#     warn_age_days: warn from this age on (default 180)
package alchkit.library.compatibility_date

default params := {}

params := data.alchkit.params["compatibility-date"]

max_age_days := object.get(params, "max_age_days", 365)

warn_age_days := object.get(params, "warn_age_days", 180)

day_ns := ((24 * 60) * 60) * 1000000000

workers contains resource if {
	some resource in input.resources
	resource.worker
}

age_days(date) := floor((time.parse_rfc3339_ns(input.generatedAt) - time.parse_ns("2006-01-02", date)) / day_ns)

valid(date) if regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, date)

deny_missing contains msg if {
	some resource in workers
	not resource.worker.compatibilityDate
	msg := sprintf("Worker %s has no compatibility date: set compatibilityDate (Alchemy's default changes with its version)", [resource.id])
}

deny_invalid contains msg if {
	some resource in workers
	date := resource.worker.compatibilityDate
	not valid(date)
	msg := sprintf("Worker %s has compatibility date %q, not YYYY-MM-DD", [resource.id, date])
}

deny_too_old contains msg if {
	some resource in workers
	date := resource.worker.compatibilityDate
	valid(date)
	age := age_days(date)
	age > max_age_days
	msg := sprintf("Worker %s has compatibility date %s, %d days old (at most %d allowed): move it forward and test", [resource.id, date, age, max_age_days])
}

warn_aging contains msg if {
	some resource in workers
	date := resource.worker.compatibilityDate
	valid(date)
	age := age_days(date)
	age > warn_age_days
	age <= max_age_days
	msg := sprintf("Worker %s has compatibility date %s, %d days old (denied after %d)", [resource.id, date, age, max_age_days])
}
