"""AWS mappers, read end to end from small .tf fixtures (and plan-shaped values built by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from collectors.snapshot import ResourceSnapshot
from collectors.terraform import TfModel, TfResource, mappers, read_terraform, to_snapshots
from collectors.terraform.mapping.aws_common import integer, json_document, resolve_bucket_refs
from collectors.terraform.model import UNKNOWN
from collectors.terraform.unknown import Unknown

FIXTURES = Path(__file__).parent / "fixtures" / "aws"
Attrs = dict[str, dict[str, Any]]


def _read(case: str) -> dict[str, ResourceSnapshot]:
    result = read_terraform(FIXTURES / case)
    assert [str(p) for p in result.problems] == []
    return {s.id: s for s in result.snapshots}


def _attributes(case: str) -> Attrs:
    return {address: s.attributes for address, s in _read(case).items()}


@pytest.fixture(scope="module")
def s3() -> Attrs:
    return _attributes("s3_modern")


@pytest.fixture(scope="module")
def data() -> Attrs:
    return _attributes("data")


@pytest.fixture(scope="module")
def network() -> Attrs:
    return _attributes("network")


@pytest.fixture(scope="module")
def audit() -> Attrs:
    return _attributes("audit")


def _plan_resource(
    rtype: str, values: dict[str, Any], refs: dict[str, list[str]] | None = None
) -> TfResource:
    return TfResource(f"{rtype}.x", rtype, "x", "", values, "plan.json", refs=refs or {})


def _map_one(*resources: TfResource) -> dict[str, Any]:
    snapshots, problems = to_snapshots(TfModel(list(resources)))
    assert [str(p) for p in problems] == []
    return snapshots[0].attributes


# --- registration --------------------------------------------------------------------------------------


def test_every_listed_terraform_type_has_its_snapshot_type() -> None:
    expected = {
        "aws_s3_bucket": "aws.s3.bucket",
        "aws_s3_account_public_access_block": "aws.s3.account_public_access_block",
        "aws_rds_cluster": "aws.rds.cluster",
        "aws_db_instance": "aws.rds.instance",
        "aws_rds_cluster_instance": "aws.rds.instance",
        "aws_kms_key": "aws.kms.key",
        "aws_elasticache_replication_group": "aws.elasticache.replication_group",
        "aws_eks_cluster": "aws.eks.cluster",
        "aws_ebs_encryption_by_default": "aws.ec2.ebs_encryption_by_default",
        "aws_security_group": "aws.ec2.security_group",
        "aws_default_security_group": "aws.ec2.security_group",
        "aws_vpc": "aws.ec2.vpc",
        "aws_default_vpc": "aws.ec2.vpc",
        "aws_cloudtrail": "aws.cloudtrail.trail",
        "aws_iam_account_password_policy": "aws.iam.password_policy",
        "aws_iam_policy": "aws.iam.policy",
        "aws_iam_role_policy": "aws.iam.policy",
        "aws_iam_user_policy": "aws.iam.policy",
        "aws_iam_group_policy": "aws.iam.policy",
        "aws_guardduty_detector": "aws.guardduty.detector",
        "aws_config_configuration_recorder": "aws.config.recorder",
        "aws_cloudwatch_log_group": "aws.logs.log_group",
        "aws_secretsmanager_secret": "aws.secretsmanager.secret",
        "aws_lb": "aws.lb.load_balancer",
        "aws_alb": "aws.lb.load_balancer",
        "aws_backup_vault": "aws.backup.vault",
        "aws_cloudwatch_event_rule": "aws.events.rule",
    }
    table = mappers()
    assert {t: table[t].snapshot_type for t in expected} == expected


def test_siblings_are_merged_not_snapshotted(s3: Attrs, data: Attrs, audit: Attrs) -> None:
    addresses = set(s3) | set(data) | set(audit)
    assert not [
        a
        for a in addresses
        if a.startswith(("aws_s3_bucket_", "aws_backup_vault_lock", "aws_guardduty_detector_feature"))
    ]
    assert "aws_guardduty_detector.modern" in audit


# --- S3 ---------------------------------------------------------------------------------------------------


def test_bucket_encryption_sibling(s3: Attrs) -> None:
    assert s3["aws_s3_bucket.evidence"]["encryption"] == {
        "algorithm": "aws:kms",
        "kms_key_id": "${aws_kms_key.s3.arn}",  # a reference means "a customer key": kept as written
        "bucket_key_enabled": True,
    }


def test_bucket_without_encryption_config_is_sse_s3(s3: Attrs) -> None:
    assert s3["aws_s3_bucket.access_logs"]["encryption"]["algorithm"] == "AES256"


def test_bucket_public_access_block_sibling_by_reference_and_by_literal_name(s3: Attrs) -> None:
    assert all(s3["aws_s3_bucket.evidence"]["public_access_block"].values())
    assert s3["aws_s3_bucket.access_logs"]["public_access_block"] == {
        "block_public_acls": True,
        "block_public_policy": False,
        "ignore_public_acls": True,
        "restrict_public_buckets": False,
    }
    assert s3["aws_s3_bucket.unnamed"]["public_access_block"] is None


def test_bucket_versioning_sibling(s3: Attrs) -> None:
    bucket = s3["aws_s3_bucket.evidence"]
    assert (bucket["versioning_enabled"], bucket["mfa_delete"]) == (True, None)
    assert s3["aws_s3_bucket.access_logs"]["versioning_enabled"] is False


def test_bucket_logging_sibling_names_the_target_bucket(s3: Attrs) -> None:
    assert s3["aws_s3_bucket.evidence"]["logging"] == {
        "target_bucket": "acme-access-logs",
        "target_prefix": "evidence/",
    }
    assert s3["aws_s3_bucket.access_logs"]["logging"] is None


def test_bucket_object_lock_from_bucket_flag_and_sibling_rule(s3: Attrs) -> None:
    assert s3["aws_s3_bucket.evidence"]["object_lock"] == {
        "enabled": True,
        "mode": "COMPLIANCE",
        "days": None,
        "years": 7,
    }
    assert s3["aws_s3_bucket.access_logs"]["object_lock"] is None


def test_bucket_lifecycle_sibling(s3: Attrs) -> None:
    assert s3["aws_s3_bucket.evidence"]["lifecycle_rules"] == [
        {"id": "expire", "enabled": True, "expiration_days": 3650, "noncurrent_expiration_days": 30},
        {"id": "old", "enabled": False, "expiration_days": None, "noncurrent_expiration_days": None},
    ]


def test_bucket_policy_sibling_from_jsonencode_and_heredoc(s3: Attrs) -> None:
    statement = s3["aws_s3_bucket.evidence"]["policy"]["Statement"][0]
    assert (statement["Effect"], statement["Condition"]["Bool"]["aws:SecureTransport"].lower()) == (
        "Deny",
        "false",
    )
    heredoc = s3["aws_s3_bucket.access_logs"]["policy"]
    assert heredoc["Statement"][0]["Principal"] == {"Service": "logging.s3.amazonaws.com"}


def test_unparseable_policy_is_left_out_and_unnamed_bucket_is_named_by_address(s3: Attrs) -> None:
    bucket = s3["aws_s3_bucket.unnamed"]
    assert bucket["policy"] is None
    assert bucket["name"] == "aws_s3_bucket.unnamed"


def test_bucket_tags_and_snapshot_name() -> None:
    snapshot = _read("s3_modern")["aws_s3_bucket.evidence"]
    assert (snapshot.name, snapshot.region) == ("acme-evidence", "eu-central-1")
    assert snapshot.attributes["tags"] == {"purpose": "evidence", "data_category": "evidence"}


def test_legacy_inline_bucket_blocks() -> None:
    bucket = _attributes("s3_legacy")["aws_s3_bucket.legacy"]
    assert bucket["encryption"]["algorithm"] == "AES256"
    assert (bucket["versioning_enabled"], bucket["mfa_delete"]) == (True, True)
    assert bucket["logging"] == {"target_bucket": "acme-logs", "target_prefix": "legacy/"}
    assert bucket["object_lock"] == {"enabled": True, "mode": "GOVERNANCE", "days": 30, "years": None}
    assert bucket["lifecycle_rules"] == [
        {"id": "personal-data", "enabled": True, "expiration_days": 90, "noncurrent_expiration_days": 7}
    ]
    assert bucket["policy"] == {"Version": "2012-10-17", "Statement": []}


def test_bucket_with_nothing_configured_gets_aws_defaults() -> None:
    bucket = _attributes("s3_legacy")["aws_s3_bucket.plain"]
    assert (bucket["versioning_enabled"], bucket["logging"], bucket["object_lock"]) == (False, None, None)
    assert (bucket["public_access_block"], bucket["lifecycle_rules"], bucket["policy"]) == (None, [], None)


def test_module_siblings_join_inside_their_module_only() -> None:
    snapshots = _read("modules")
    inner = snapshots["module.store.aws_s3_bucket.this"]
    assert inner.name == "acme-customer-data"  # the module input variable
    assert inner.attributes["encryption"]["kms_key_id"] == "${module.store.aws_kms_key.this.arn}"
    assert (inner.attributes["versioning_enabled"], inner.attributes["mfa_delete"]) == (True, False)
    outer = snapshots["aws_s3_bucket.this"].attributes
    assert (outer["encryption"]["algorithm"], outer["versioning_enabled"]) == ("AES256", False)
    assert snapshots["module.store.aws_kms_key.this"].attributes["deletion_window_days"] == 7


def test_for_each_buckets_get_their_own_instance_siblings() -> None:
    read = _attributes("s3_for_each")
    alpha, beta = read['aws_s3_bucket.this["alpha"]'], read['aws_s3_bucket.this["beta"]']
    assert [r["id"] for r in alpha["lifecycle_rules"]] == ["expire-alpha"]
    assert [r["expiration_days"] for r in beta["lifecycle_rules"]] == [90]
    assert (alpha["versioning_enabled"], beta["versioning_enabled"]) == (False, True)  # pinned to ["beta"]
    assert alpha["policy"] is None
    assert beta["policy"]["Statement"][0]["Resource"][1] == '${aws_s3_bucket.this["beta"].arn}/*'
    trail = read["aws_cloudtrail.this"]
    assert trail["s3_bucket_name"] == "acme-alpha"
    assert trail["data_events"][0]["values"] == ["arn:aws:s3:::acme-beta"]


def test_account_public_access_block(s3: Attrs) -> None:
    assert s3["aws_s3_account_public_access_block.this"] == {
        "block_public_acls": True,
        "block_public_policy": True,
        "ignore_public_acls": False,
        "restrict_public_buckets": False,
        "account_id": None,
    }


def test_ebs_encryption_by_default_defaults_to_enabled(s3: Attrs) -> None:
    assert s3["aws_ebs_encryption_by_default.this"] == {"enabled": True}
    assert _attributes("s3_legacy")["aws_ebs_encryption_by_default.off"] == {"enabled": False}


def test_plan_shaped_bucket_prefers_siblings_over_computed_legacy_blocks() -> None:
    bucket = _plan_resource(
        "aws_s3_bucket",
        {
            "bucket": "acme-plan",
            "versioning": UNKNOWN,
            "server_side_encryption_configuration": UNKNOWN,
            "policy": UNKNOWN,
            "object_lock_enabled": UNKNOWN,
            "tags": {"a": "1"},
            "tags_all": {"a": "1", "team": "x"},
        },
    )
    versioning = TfResource(
        "aws_s3_bucket_versioning.x",
        "aws_s3_bucket_versioning",
        "x",
        "",
        {"bucket": "acme-plan", "versioning_configuration": [{"status": "Suspended", "mfa_delete": None}]},
        "plan.json",
    )
    attributes = _map_one(bucket, versioning)
    assert (attributes["versioning_enabled"], attributes["mfa_delete"]) == (False, None)
    assert (attributes["encryption"]["algorithm"], attributes["policy"], attributes["object_lock"]) == (
        "AES256",
        None,
        None,
    )
    assert attributes["tags"] == {"a": "1", "team": "x"}  # provider default tags come through tags_all


# --- data stores -------------------------------------------------------------------------------------------


def test_rds_cluster_with_parameter_group_sibling(data: Attrs) -> None:
    cluster = data["aws_rds_cluster.orders"]
    assert cluster["parameter_group_name"] == "orders-pg16"
    assert cluster["parameters"] == {"rds.force_ssl": "1", "log_min_duration_statement": "500"}
    assert (cluster["storage_encrypted"], cluster["kms_key_id"]) == (True, "${aws_kms_key.db.arn}")
    assert (cluster["backup_retention_period"], cluster["deletion_protection"]) == (14, True)
    assert cluster["iam_database_authentication_enabled"] is True
    assert cluster["enabled_cloudwatch_logs_exports"] == ["postgresql"]
    assert "never-copied" not in json.dumps(cluster)


def test_rds_cluster_defaults(data: Attrs) -> None:
    cluster = data["aws_rds_cluster.defaults"]
    assert cluster["identifier"] == "aws_rds_cluster.defaults"
    assert (cluster["storage_encrypted"], cluster["backup_retention_period"]) == (False, 1)
    assert (cluster["deletion_protection"], cluster["iam_database_authentication_enabled"]) == (False, False)
    assert (cluster["parameter_group_name"], cluster["parameters"]) == ("default.aurora-mysql8.0", {})
    assert data["aws_rds_cluster.serverless_v1"]["storage_encrypted"] is True  # serverless v1 default


def test_rds_cluster_parameter_group_joined_by_literal_name() -> None:
    group = TfResource(
        "aws_rds_cluster_parameter_group.g",
        "aws_rds_cluster_parameter_group",
        "g",
        "",
        {"name": "mysql-tls", "parameter": [{"name": "require_secure_transport", "value": "ON"}]},
        "main.tf",
    )
    cluster = _plan_resource(
        "aws_rds_cluster", {"cluster_identifier": "c", "db_cluster_parameter_group_name": "mysql-tls"}
    )
    assert _map_one(cluster, group)["parameters"] == {"require_secure_transport": "ON"}


def test_rds_cluster_members_leave_encryption_to_the_cluster(data: Attrs) -> None:
    member = data["aws_rds_cluster_instance.orders[1]"]
    assert member["identifier"] == "orders-1"
    assert member["cluster_identifier"] == "orders"  # read through the reference to the cluster
    assert (member["storage_encrypted"], member["publicly_accessible"]) == (None, False)
    assert member["auto_minor_version_upgrade"] is True


def test_db_instance(data: Attrs) -> None:
    instance = data["aws_db_instance.legacy"]
    assert (instance["identifier"], instance["engine"]) == ("legacy-mysql", "mysql")
    assert (instance["publicly_accessible"], instance["storage_encrypted"]) == (True, False)
    assert "never-copied" not in json.dumps(instance)


def test_kms_keys(data: Attrs) -> None:
    key = data["aws_kms_key.db"]
    assert (key["rotation_enabled"], key["rotation_period_days"], key["multi_region"]) == (True, 180, True)
    assert (key["key_usage"], key["key_spec"], key["deletion_window_days"]) == (
        "ENCRYPT_DECRYPT",
        "SYMMETRIC_DEFAULT",
        30,
    )
    signing = data["aws_kms_key.signing"]
    assert (signing["key_usage"], signing["key_spec"], signing["enabled"]) == (
        "SIGN_VERIFY",
        "ECC_NIST_P256",
        False,
    )


def test_elasticache_auth_token_becomes_a_flag(data: Attrs) -> None:
    group = data["aws_elasticache_replication_group.sessions"]
    assert group["auth_token_enabled"] is True
    assert "super-secret-token-value" not in json.dumps(group)
    assert (group["at_rest_encryption_enabled"], group["transit_encryption_enabled"]) == (True, True)
    assert (
        group["automatic_failover_enabled"],
        group["multi_az_enabled"],
        group["snapshot_retention_limit"],
    ) == (
        True,
        True,
        5,
    )
    assert data["aws_elasticache_replication_group.rbac"]["auth_token_enabled"] is True  # user groups
    unprotected = data["aws_elasticache_replication_group.open"]
    assert (unprotected["auth_token_enabled"], unprotected["at_rest_encryption_enabled"]) == (False, False)
    assert (unprotected["engine"], unprotected["snapshot_retention_limit"]) == ("redis", 0)


def test_secret_rotation_sibling(data: Attrs) -> None:
    assert data["aws_secretsmanager_secret.db"]["rotation_enabled"] is True
    assert data["aws_secretsmanager_secret.db"]["rotation_days"] == 30
    api = data["aws_secretsmanager_secret.api"]  # joined by literal name
    assert (api["rotation_schedule"], api["rotation_days"]) == ("rate(12 hours)", None)
    static = data["aws_secretsmanager_secret.static"]
    assert (static["rotation_enabled"], static["rotation_days"], static["rotation_schedule"]) == (
        False,
        None,
        None,
    )


def test_backup_vault_lock_sibling(data: Attrs) -> None:
    locked = data["aws_backup_vault.locked"]
    assert (locked["locked"], locked["lock_mode"], locked["min_retention_days"]) == (True, "compliance", 35)
    governance = data["aws_backup_vault.governance"]  # joined by literal vault name
    assert (governance["locked"], governance["lock_mode"]) == (True, "governance")
    unlocked = data["aws_backup_vault.open"]
    assert (unlocked["locked"], unlocked["lock_mode"]) == (False, None)


def test_unknown_typed_values_fall_back_to_schema_defaults() -> None:
    cluster = _plan_resource(
        "aws_rds_cluster",
        {
            "cluster_identifier": "c",
            "storage_encrypted": UNKNOWN,
            "backup_retention_period": Unknown("${var.days}", ("var.days",)),
            "kms_key_id": UNKNOWN,
        },
    )
    snapshots, problems = to_snapshots(TfModel([cluster]))
    assert problems == []
    attributes = snapshots[0].attributes
    assert (attributes["storage_encrypted"], attributes["backup_retention_period"]) == (False, 1)
    assert set(snapshots[0].unknown_paths) == {"storage_encrypted", "backup_retention_period", "kms_key_id"}


# --- network -----------------------------------------------------------------------------------------------


def test_security_group_inline_ingress_one_rule_per_source(network: Attrs) -> None:
    rules = network["aws_security_group.bastion"]["ingress"]
    sources = [(r["cidr_ipv4"], r["cidr_ipv6"], r["source_security_group"]) for r in rules]
    assert sources == [
        ("0.0.0.0/0", None, None),
        ("10.0.0.0/8", None, None),
        (None, "::/0", None),
        (None, None, "${aws_security_group.app.id}"),
        (None, None, "self"),
    ]
    assert (rules[0]["protocol"], rules[0]["from_port"], rules[0]["to_port"]) == ("tcp", 22, 22)
    assert rules[0]["description"] == "ssh from anywhere"
    assert (rules[3]["protocol"], rules[3]["from_port"], rules[3]["to_port"]) == ("-1", None, None)


def test_security_group_rule_and_vpc_ingress_rule_siblings(network: Attrs) -> None:
    rules = network["aws_security_group.app"]["ingress"]
    assert [(r["protocol"], r["from_port"], r["cidr_ipv4"], r["cidr_ipv6"]) for r in rules] == [
        ("tcp", 443, "0.0.0.0/0", None),  # protocol "6" normalised; the egress rule is left out
        ("tcp", 5432, None, None),
        ("-1", None, None, "::/0"),
    ]
    assert rules[1]["source_security_group"] == "${aws_security_group.bastion.id}"


def test_vpc_flow_log_siblings(network: Attrs) -> None:
    vpc = network["aws_vpc.main"]
    assert (vpc["cidr_block"], vpc["is_default"], vpc["tags"]) == ("10.0.0.0/16", False, {"Name": "main"})
    assert vpc["flow_logs"] == [
        {
            "traffic_type": "REJECT",
            "destination_type": "cloud-watch-logs",
            "destination": "arn:aws:logs:eu-central-1:111122223333:log-group:vpc-flow",
        },
        {"traffic_type": "ALL", "destination_type": "s3", "destination": "arn:aws:s3:::acme-flow-logs"},
    ]
    assert network["aws_default_vpc.default"]["is_default"] is True
    assert network["aws_default_vpc.default"]["flow_logs"] == []


def test_load_balancer_listeners_and_waf_siblings(network: Attrs) -> None:
    lb = network["aws_lb.public"]
    assert (lb["scheme"], lb["type"], lb["drop_invalid_header_fields"], lb["access_logs_enabled"]) == (
        "internet-facing",
        "application",
        True,
        True,
    )
    assert lb["waf_web_acl"] == "arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/edge/1"
    assert lb["listeners"] == [
        {
            "port": 443,
            "protocol": "HTTPS",
            "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "redirects_to_https": False,
        },
        {"port": 80, "protocol": "HTTP", "ssl_policy": None, "redirects_to_https": True},  # HTTP: ALB default
    ]


def test_internal_network_load_balancer_through_alb_aliases(network: Attrs) -> None:
    lb = network["aws_alb.internal"]
    assert (lb["scheme"], lb["type"], lb["waf_web_acl"], lb["access_logs_enabled"]) == (
        "internal",
        "network",
        None,
        False,
    )
    assert lb["listeners"] == [
        {"port": 5432, "protocol": "TCP", "ssl_policy": None, "redirects_to_https": False}
    ]


def test_eks_cluster(network: Attrs) -> None:
    eks = network["aws_eks_cluster.platform"]
    assert (eks["version"], eks["endpoint_public_access"], eks["endpoint_private_access"]) == (
        "1.31",
        True,
        True,
    )
    assert eks["public_access_cidrs"] == ["203.0.113.0/24"]
    assert eks["secrets_encryption_key"] == "arn:aws:kms:eu-central-1:111122223333:key/eks"
    assert eks["enabled_log_types"] == ["api", "audit", "authenticator", "controllerManager", "scheduler"]


def test_eks_cluster_defaults(network: Attrs) -> None:
    eks = network["aws_eks_cluster.defaults"]
    assert (eks["endpoint_public_access"], eks["endpoint_private_access"]) == (True, False)
    assert (eks["public_access_cidrs"], eks["secrets_encryption_key"], eks["enabled_log_types"]) == (
        ["0.0.0.0/0"],
        None,
        [],
    )


# --- audit and monitoring ----------------------------------------------------------------------------------


def test_cloudtrail_basic_selectors_and_bucket_references(audit: Attrs) -> None:
    trail = audit["aws_cloudtrail.org"]
    assert (
        trail["s3_bucket_name"] == "acme-cloudtrail"
    )  # the referenced bucket's name, as its snapshot has it
    assert (trail["is_multi_region_trail"], trail["include_global_service_events"], trail["is_logging"]) == (
        True,
        True,
        True,
    )
    assert (trail["log_file_validation_enabled"], trail["home_region"]) == (True, "eu-central-1")
    assert (trail["management_events"], trail["management_read_write_type"]) == (True, "All")
    assert trail["data_events"] == [
        {
            "resource_type": "AWS::S3::Object",
            "values": ["arn:aws:s3:::acme-evidence/"],
            "read_write_type": "All",
        }
    ]


def test_cloudtrail_advanced_selectors(audit: Attrs) -> None:
    trail = audit["aws_cloudtrail.advanced"]
    assert trail["is_logging"] is False
    assert (trail["management_events"], trail["management_read_write_type"]) == (True, "WriteOnly")
    assert [e["values"] for e in trail["data_events"]] == [["arn:aws:s3"], ["arn:aws:s3:::acme-cardholder/"]]


def test_cloudtrail_without_management_events_and_without_selectors(audit: Attrs) -> None:
    data_only = audit["aws_cloudtrail.data_only"]
    assert (data_only["management_events"], data_only["include_global_service_events"]) == (False, False)
    assert data_only["data_events"][0]["resource_type"] == "AWS::Lambda::Function"
    plain = audit["aws_cloudtrail.plain"]
    assert (plain["management_events"], plain["management_read_write_type"], plain["data_events"]) == (
        True,
        "All",
        [],
    )


def test_password_policy(audit: Attrs) -> None:
    assert audit["aws_iam_account_password_policy.strict"] == {
        "minimum_password_length": 14,
        "require_symbols": True,
        "require_numbers": True,
        "require_uppercase": True,
        "require_lowercase": True,
        "max_password_age": 90,
        "password_reuse_prevention": 24,
        "hard_expiry": False,
    }
    bare = _map_one(_plan_resource("aws_iam_account_password_policy", {"max_password_age": 0}))
    assert (bare["minimum_password_length"], bare["max_password_age"], bare["require_numbers"]) == (
        6,
        None,
        False,
    )


def test_iam_policies_managed_and_inline(audit: Attrs) -> None:
    admin = audit["aws_iam_policy.admin"]
    assert (admin["name"], admin["kind"]) == ("break-glass", "managed")
    assert admin["document"]["Statement"] == [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    assert audit["aws_iam_role_policy.reader"]["kind"] == "inline"
    assert audit["aws_iam_role_policy.reader"]["document"]["Statement"][0]["Action"] == "s3:GetObject"
    assert audit["aws_iam_group_policy.ops"]["document"] == {"Version": "2012-10-17", "Statement": []}
    assert audit["aws_iam_user_policy.computed"]["document"] is None  # built by a data source: unknown


def test_guardduty_datasources_and_feature_siblings(audit: Attrs) -> None:
    legacy = audit["aws_guardduty_detector.legacy"]
    assert legacy == {"enabled": True, "features": {"S3_DATA_EVENTS": True, "EKS_AUDIT_LOGS": False}}
    modern = audit["aws_guardduty_detector.modern"]
    assert modern["features"] == {"EKS_AUDIT_LOGS": True, "S3_DATA_EVENTS": False}
    assert audit["aws_guardduty_detector.off"] == {"enabled": False, "features": {}}


def test_config_recorder_with_status_sibling(audit: Attrs) -> None:
    assert audit["aws_config_configuration_recorder.main"] == {
        "name": "main",
        "all_supported": True,
        "include_global_resource_types": True,
        "recording": True,
    }
    unnamed = audit["aws_config_configuration_recorder.unnamed"]
    assert (unnamed["name"], unnamed["all_supported"], unnamed["recording"]) == ("default", False, False)


def test_log_groups(audit: Attrs) -> None:
    app = audit["aws_cloudwatch_log_group.app"]
    assert (app["retention_in_days"], app["tags"]) == (400, {"data_category": "personal"})
    assert audit["aws_cloudwatch_log_group.forever"]["retention_in_days"] is None


def test_event_rules_with_target_siblings(audit: Attrs) -> None:
    rule = audit["aws_cloudwatch_event_rule.trail_changes"]
    assert (rule["enabled"], rule["target_count"]) == (True, 2)  # by reference and by literal rule name
    assert rule["event_pattern"] == {
        "source": ["aws.cloudtrail"],
        "detail": {"eventName": ["StopLogging", "DeleteTrail", "UpdateTrail"]},
    }
    root = audit["aws_cloudwatch_event_rule.root_login"]
    assert (root["enabled"], root["target_count"]) == (False, 0)
    assert root["event_pattern"] == {"detail": {"userIdentity": {"type": ["Root"]}}}
    legacy = audit["aws_cloudwatch_event_rule.legacy_disabled"]
    assert (legacy["enabled"], legacy["event_pattern"]) == (False, None)


# --- helpers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": 1}, {"a": 1}),
        ('{"a": 1}', {"a": 1}),
        ('{"r": "${aws_s3_bucket.b["x"].arn}/*"}', {"r": '${aws_s3_bucket.b["x"].arn}/*'}),
        ('{"r": ${jsonencode(local.arns)}}', None),
        ("[1]", None),
        ("nope", None),
        (UNKNOWN, None),
        (None, None),
    ],
)
def test_json_document(value: Any, expected: dict[str, Any] | None) -> None:
    assert json_document(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), ("7", 7), (2.0, 2), (True, None), ("${var.n}", None)]
)
def test_integer(value: Any, expected: int | None) -> None:
    assert integer(value) == expected


def test_bucket_references_resolve_within_their_module_only() -> None:
    inner = TfResource(
        "module.m.aws_s3_bucket.b", "aws_s3_bucket", "b", "module.m", {"bucket": "inner"}, "m/main.tf"
    )
    model = TfModel([inner])
    assert resolve_bucket_refs("${module.m.aws_s3_bucket.b.arn}/logs", model) == "arn:aws:s3:::inner/logs"
    assert resolve_bucket_refs("${aws_s3_bucket.b.id}", model) == "${aws_s3_bucket.b.id}"


def test_count_instances_keep_rules_pinned_to_another_instance_out() -> None:
    groups = [
        TfResource(
            f"aws_security_group.web[{i}]", "aws_security_group", "web", "", {"name": f"web-{i}"}, "m.tf"
        )
        for i in range(2)
    ]
    rule = TfResource(
        "aws_security_group_rule.ssh",
        "aws_security_group_rule",
        "ssh",
        "",
        {
            "type": "ingress",
            "security_group_id": "${aws_security_group.web[1].id}",
            "protocol": "tcp",
            "from_port": 22,
            "to_port": 22,
            "cidr_blocks": ["0.0.0.0/0"],
        },
        "m.tf",
        refs={"security_group_id": ["aws_security_group.web"]},
    )
    snapshots, problems = to_snapshots(TfModel([*groups, rule]))
    assert problems == []
    ingress = {s.id: s.attributes["ingress"] for s in snapshots}
    assert ingress["aws_security_group.web[0]"] == []
    assert [r["cidr_ipv4"] for r in ingress["aws_security_group.web[1]"]] == ["0.0.0.0/0"]
