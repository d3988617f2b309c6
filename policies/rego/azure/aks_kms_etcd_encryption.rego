# METADATA
# title: AKS encrypts Kubernetes secrets in etcd with a Key Vault key
# description: >-
#   Kubernetes secrets live in etcd. With the KMS plugin enabled, AKS wraps them with a key the
#   customer holds in Key Vault, so revoking that key makes the stored secrets unreadable; without it
#   only platform-managed disk encryption protects them.
# custom:
#   id: azure.aks.kms_etcd_encryption
#   resource_types: [azure.aks.cluster]
#   severity: high
package assay.azure.aks.kms_etcd_encryption

import rego.v1

problems[cluster.id] contains msg if {
	some cluster in input.resources
	not cluster.attributes.kms_enabled == true
	msg := sprintf(
		"kms_enabled is %v: etcd secrets carry only platform-managed encryption; expected KMS etcd encryption",
		[object.get(cluster.attributes, "kms_enabled", "unset")],
	)
}

results contains {"resource": cluster.id, "status": "pass", "message": msg} if {
	some cluster in input.resources
	not problems[cluster.id]
	msg := "KMS etcd encryption is enabled: secrets are wrapped with a customer-held Key Vault key"
}

results contains {"resource": id, "status": "fail", "message": concat("; ", sort(found))} if {
	some id, found in problems
}
