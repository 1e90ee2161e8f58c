# METADATA
# title: Stage isolation
# description: >-
#   A stage must not bind a resource whose physical name does not contain the stage: a preview whose Worker
#   is bound to production's database writes to production. Alchemy names resources `<app>-<id>-<stage>` by
#   default, so a name without the stage is one written by hand (or a resource shared on purpose).
# custom:
#   params:
#     stages: stage kinds the rule applies to (default preview, staging, other)
#     shared: physical names or fqns any stage may bind (default none)
package alchkit.library.stage_isolation

default params := {}

params := data.alchkit.params["stage-isolation"]

stages := object.get(params, "stages", ["preview", "staging", "other"])

shared := object.get(params, "shared", [])

# The stage as a whole word of the name: stage `pr-1` is in `app-db-pr-1`, not in `app-db-pr-12`.
names_stage(name, stage) if {
	regex.match(`^[a-z0-9-]+$`, lower(stage))
	regex.match(sprintf(`(^|[^a-z0-9])%s($|[^a-z0-9])`, [lower(stage)]), lower(name))
}

names_stage(name, stage) if {
	not regex.match(`^[a-z0-9-]+$`, lower(stage))
	contains(lower(name), lower(stage))
}

is_shared(resource) if resource.physicalName in shared

is_shared(resource) if resource.fqn in shared

deny_foreign_binding contains msg if {
	input.stage.kind in stages
	some resource in input.resources
	some binding in resource.worker.bindings
	binding.type == "resource"
	name := binding.resource.physicalName
	not names_stage(name, input.stage.name)
	not is_shared(binding.resource)
	msg := sprintf(
		"%s (stage %s) binds %s to %s %q, whose name does not contain the stage: it would use another stage's data (name it per stage, or list it in stage-isolation.shared)",
		[resource.id, input.stage.name, binding.name, binding.resource.kind, name],
	)
}
