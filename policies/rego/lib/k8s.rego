# Helpers shared by the Kubernetes policies. A library, not a policy: it has no METADATA and no results.
package assay.lib.k8s

import rego.v1

# Namespaces left to the platform (params.exempt_namespaces of the calling policy); none when unset.
exempt_namespaces := {ns | some ns in input.params.exempt_namespaces}

# The namespace a snapshot lives in; a namespace snapshot is its own.
namespace_of(res) := res.attributes.name if res.type == "k8s.namespace"

namespace_of(res) := res.attributes.namespace if res.type != "k8s.namespace"

# A snapshot whose namespace is undefined is never exempt, so it is still judged.
exempt(res) if namespace_of(res) in exempt_namespaces

not_applicable(res) := {
	"resource": res.id,
	"status": "not_applicable",
	"message": sprintf(
		"namespace %s is exempt (params.exempt_namespaces): the cluster platform owns its workloads",
		[namespace_of(res)],
	),
}

# "container app" or "init container migrate", for messages.
container_label(c) := sprintf("init container %s", [c.name]) if c.init == true

container_label(c) := sprintf("container %s", [c.name]) if not c.init == true
