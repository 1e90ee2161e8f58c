# METADATA
# title: Workers size and resource budget
# description: >-
#   A stage stays within a resource budget — resources, Workers, bindings per Worker, routes and domains per
#   Worker — and every Worker's compressed script within a size budget (3 MiB is the Workers Free limit,
#   10 MiB the paid one; the size is known when the script was built where the facts were assembled).
# custom:
#   params:
#     max_resources: resources in the stage (default 50)
#     max_workers: Workers in the stage (default 10)
#     max_bindings: bindings per Worker (default 64)
#     max_routes: routes and domains per Worker (default 20)
#     max_gzip_kib: compressed script size in KiB (default 3072)
#     warn_gzip_ratio: warn above this share of max_gzip_kib (default 0.8)
package alchkit.library.workers_budget

default params := {}

params := data.alchkit.params["workers-budget"]

setting(name, fallback) := object.get(params, name, fallback)

workers := [resource | some resource in input.resources; resource.worker]

deny_resources contains msg if {
	count(input.resources) > setting("max_resources", 50)
	msg := sprintf("stage %s has %d resources, over the budget of %d", [input.stage.name, count(input.resources), setting("max_resources", 50)])
}

deny_workers contains msg if {
	count(workers) > setting("max_workers", 10)
	msg := sprintf("stage %s has %d Workers, over the budget of %d", [input.stage.name, count(workers), setting("max_workers", 10)])
}

deny_bindings contains msg if {
	some worker in workers
	n := count(worker.worker.bindings)
	n > setting("max_bindings", 64)
	msg := sprintf("Worker %s has %d bindings, over the budget of %d", [worker.id, n, setting("max_bindings", 64)])
}

deny_routes contains msg if {
	some worker in workers
	n := count(worker.worker.routes) + count(worker.worker.domains)
	n > setting("max_routes", 20)
	msg := sprintf("Worker %s has %d routes and domains, over the budget of %d", [worker.id, n, setting("max_routes", 20)])
}

kib(bytes) := round((bytes / 1024) * 10) / 10

deny_script_size contains msg if {
	some worker in workers
	size := worker.worker.bundle.gzipBytes
	size > setting("max_gzip_kib", 3072) * 1024
	msg := sprintf("Worker %s is %v KiB compressed, over the budget of %v KiB", [worker.id, kib(size), setting("max_gzip_kib", 3072)])
}

warn_script_size contains msg if {
	some worker in workers
	size := worker.worker.bundle.gzipBytes
	limit := setting("max_gzip_kib", 3072) * 1024
	size <= limit
	size > limit * setting("warn_gzip_ratio", 0.8)
	msg := sprintf("Worker %s is %v KiB compressed, close to the budget of %v KiB", [worker.id, kib(size), setting("max_gzip_kib", 3072)])
}
