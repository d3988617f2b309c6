"""RDS and Aurora clusters and instances."""

from __future__ import annotations

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, not_applicable, passed
from policies.python._common import judge
from policies.sdk import attribute_policy, policy

POSTGRES_ENGINES = ("aurora-postgresql", "postgres")
# "aurora" is Terraform's default engine for aws_rds_cluster: Aurora MySQL.
MYSQL_ENGINES = ("aurora-mysql", "aurora", "mysql")
TLS_PARAMETER = {"postgres": "rds.force_ssl", "mysql": "require_secure_transport"}
ON_VALUES = ("1", "on", "true")


def _family(cluster: ResourceSnapshot) -> str | None:
    """ "postgres" or "mysql" for the cluster's engine (unset means Terraform's default, Aurora MySQL)."""
    engine = (cluster.attributes.get("engine") or "aurora").lower()
    if engine in POSTGRES_ENGINES:
        return "postgres"
    if engine in MYSQL_ENGINES:
        return "mysql"
    return None


def _engine(cluster: ResourceSnapshot) -> str:
    return str(cluster.attributes.get("engine") or "aurora (default)")


@policy(
    "aws.rds.cluster_storage_encrypted",
    resource_types=["aws.rds.cluster"],
    title="RDS clusters encrypt storage with a customer key",
    severity="high",
)
def cluster_storage_encrypted(cluster: ResourceSnapshot, ctx: Context) -> Verdict:
    """Storage must be encrypted, with a customer-managed KMS key named in kms_key_id (not the AWS-managed
    aws/rds key, whose use and rotation the company does not control)."""
    attrs = cluster.attributes
    if not attrs.get("storage_encrypted"):
        return failed("storage_encrypted is false; expected encryption with a customer-managed KMS key")
    if not attrs.get("kms_key_id"):
        return failed(
            "storage is encrypted with the AWS-managed aws/rds key (no kms_key_id); "
            "expected a customer-managed KMS key"
        )
    return passed(f"storage is encrypted with KMS key {attrs['kms_key_id']}")


@policy(
    "aws.rds.cluster_force_ssl",
    resource_types=["aws.rds.cluster"],
    title="RDS clusters refuse unencrypted connections",
    severity="high",
)
def cluster_force_ssl(cluster: ResourceSnapshot, ctx: Context) -> Verdict:
    """The cluster parameter group must force TLS: rds.force_ssl=1 for PostgreSQL engines,
    require_secure_transport ON for MySQL engines."""
    name = TLS_PARAMETER.get(_family(cluster) or "")
    if name is None:
        return not_applicable(f"engine {_engine(cluster)} has no TLS-enforcement parameter this policy knows")
    params = cluster.attributes.get("parameters") or {}
    value = params.get(name)
    if value is None:
        group = cluster.attributes.get("parameter_group_name") or "the default parameter group"
        return failed(f"{name} is not set in {group}, so plain connections are allowed; expected {name}=1")
    if str(value).strip().lower() in ON_VALUES:
        return passed(f"{name} is {value}")
    return failed(f"{name} is {value}; expected {name}=1")


rds_instance_not_public = attribute_policy(
    "aws.rds.instance_not_public",
    "aws.rds.instance",
    "publicly_accessible",
    False,
    title="RDS instances are not publicly accessible",
    severity="high",
)

rds_cluster_iam_auth = attribute_policy(
    "aws.rds.cluster_iam_auth",
    "aws.rds.cluster",
    "iam_database_authentication_enabled",
    True,
    title="RDS clusters accept IAM database authentication",
    severity="medium",
)


@policy(
    "aws.rds.cluster_log_exports",
    resource_types=["aws.rds.cluster"],
    title="RDS clusters export database logs to CloudWatch",
    severity="medium",
)
def cluster_log_exports(cluster: ResourceSnapshot, ctx: Context) -> Verdict:
    """PostgreSQL clusters must export the "postgresql" log, MySQL clusters the "audit" log."""
    family = _family(cluster)
    if family is None:
        return not_applicable(f"engine {_engine(cluster)} has no log export this policy knows")
    wanted = "postgresql" if family == "postgres" else "audit"
    exported = cluster.attributes.get("enabled_cloudwatch_logs_exports") or []
    if wanted in exported:
        return passed(f"the {wanted} log is exported to CloudWatch Logs")
    shown = ", ".join(exported) or "none"
    return failed(f"exported logs: {shown}; expected {wanted} for engine {_engine(cluster)}")


@policy(
    "aws.rds.cluster_backup",
    resource_types=["aws.rds.cluster"],
    title="RDS clusters keep backups and resist deletion",
    severity="medium",
    params={"min_days": 7},
)
def cluster_backup(cluster: ResourceSnapshot, ctx: Context) -> Verdict:
    """Automated backups must be kept at least min_days, and deletion protection must be on."""
    min_days = int(ctx.params["min_days"])
    retention = int(cluster.attributes.get("backup_retention_period") or 0)
    problems = []
    if retention < min_days:
        problems.append(f"backups are kept {retention} day(s)")
    if not cluster.attributes.get("deletion_protection"):
        problems.append("deletion protection is off")
    return judge(
        problems,
        f"backups kept {retention} days and deletion protection on",
        f"backup retention of at least {min_days} days and deletion protection",
    )
