"""Audit and identity read from moto: CloudTrail, IAM, GuardDuty, Config, CloudWatch Logs, EventBridge."""

from __future__ import annotations

import json
from typing import Any

import boto3

from tests.collectors.aws.conftest import Account, unique
from tests.collectors.aws.inject import combine, refuse

ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _trail_bucket(account: Account, region: str = "us-east-1") -> str:
    name = unique("trail-logs")
    options: dict[str, Any] = (
        {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    account.client("s3", region).create_bucket(Bucket=name, **options)
    return name


def _seed_trails(account: Account, bucket: str, key: str) -> None:
    trail = account.client("cloudtrail")
    owner = [{"Key": "owner", "Value": "security"}]
    trail.create_trail(
        Name="org-trail", S3BucketName=bucket, IsMultiRegionTrail=True, EnableLogFileValidation=True,
        KmsKeyId=key, TagsList=owner,
    )  # fmt: skip
    trail.start_logging(Name="org-trail")
    objects = {"Type": "AWS::S3::Object", "Values": [f"arn:aws:s3:::{bucket}/"]}
    selector = {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [objects]}
    trail.put_event_selectors(TrailName="org-trail", EventSelectors=[selector])
    trail.create_trail(Name="writes-only", S3BucketName=bucket)
    fields = [
        {"Field": "eventCategory", "Equals": ["Management"]},
        {"Field": "readOnly", "Equals": ["false"]},
    ]
    trail.put_event_selectors(
        TrailName="writes-only", AdvancedEventSelectors=[{"Name": "writes", "FieldSelectors": fields}]
    )


def test_trails_with_status_and_selectors(account: Account) -> None:
    bucket = _trail_bucket(account)
    key = f"arn:aws:kms:us-east-1:{account.account_id}:key/trail"
    _seed_trails(account, bucket, key)

    run = account.collect()

    main = run.named("aws.cloudtrail.trail", "org-trail")
    assert main.id == f"arn:aws:cloudtrail:us-east-1:{account.account_id}:trail/org-trail"
    objects = {
        "resource_type": "AWS::S3::Object",
        "values": [f"arn:aws:s3:::{bucket}/"],
        "read_write_type": "All",
    }
    assert main.attributes == {
        "name": "org-trail",
        "home_region": "us-east-1",
        "is_multi_region_trail": True,
        "include_global_service_events": True,
        "is_logging": True,
        "log_file_validation_enabled": True,
        "kms_key_id": key,
        "s3_bucket_name": bucket,
        "cloud_watch_logs_log_group_arn": None,
        "management_events": True,
        "management_read_write_type": "All",
        "data_events": [objects],
        "tags": {"owner": "security"},
    }
    writes = run.named("aws.cloudtrail.trail", "writes-only").attributes
    assert writes["is_logging"] is False and writes["is_multi_region_trail"] is False
    assert writes["management_read_write_type"] == "WriteOnly" and writes["data_events"] == []


def test_a_trail_is_reported_once_by_its_home_region_or_the_first_collected(account: Account) -> None:
    homed_outside = account.client("cloudtrail", "ap-southeast-2")
    homed_outside.create_trail(
        Name="far-away", S3BucketName=_trail_bucket(account, "ap-southeast-2"), IsMultiRegionTrail=True
    )
    account.client("cloudtrail", "eu-west-1").create_trail(
        Name="irish", S3BucketName=_trail_bucket(account, "eu-west-1"), IsMultiRegionTrail=True
    )

    run = account.collect(regions=["us-east-1", "eu-west-1"])

    trails = sorted((s.name, s.region) for s in run.of("aws.cloudtrail.trail"))
    assert trails == [("far-away", "ap-southeast-2"), ("irish", "eu-west-1")]


def test_iam_account_summary_and_password_policy(account: Account) -> None:
    assert account.collect().of("aws.iam.password_policy") == []  # NoSuchEntity: the policy says missing

    account.client("iam").update_account_password_policy(
        MinimumPasswordLength=14,
        RequireNumbers=True,
        RequireLowercaseCharacters=True,
        PasswordReusePrevention=5,
    )
    run = account.collect()

    (policy,) = run.of("aws.iam.password_policy")
    assert policy.attributes == {
        "minimum_password_length": 14,
        "require_symbols": False,
        "require_numbers": True,
        "require_uppercase": False,
        "require_lowercase": True,
        "max_password_age": None,
        "password_reuse_prevention": 5,
        "hard_expiry": False,
    }
    (summary,) = run.of("aws.iam.account_summary")
    assert summary.id == f"arn:aws:iam::{account.account_id}:account-summary"
    assert summary.attributes == {"account_mfa_enabled": False, "account_access_keys_present": False}


def _console_user_with_key(account: Account, name: str) -> str:
    iam = account.client("iam")
    user_id = iam.create_user(UserName=name)["User"]["UserId"]
    iam.create_login_profile(UserName=name, Password="a-Long-passw0rd!")
    iam.create_access_key(UserName=name)
    return str(user_id)


def test_iam_users_from_the_credential_report_carry_no_names(account: Account) -> None:
    console = _console_user_with_key(account, "alice.example")
    robot = account.client("iam").create_user(UserName="ci-robot")["User"]["UserId"]

    run = account.collect()

    users = {s.id: s for s in run.of("aws.iam.user")}
    assert set(users) == {f"arn:aws:iam::{account.account_id}:user-id/{uid}" for uid in (console, robot)}
    alice = users[f"arn:aws:iam::{account.account_id}:user-id/{console}"]
    assert alice.name is None
    assert alice.attributes["password_enabled"] is True and alice.attributes["mfa_active"] is False
    (key,) = alice.attributes["access_keys"]
    assert key["active"] is True and key["last_rotated"] and key["last_used"] is None
    robot_attrs = users[f"arn:aws:iam::{account.account_id}:user-id/{robot}"].attributes
    assert robot_attrs["password_enabled"] is False and robot_attrs["access_keys"] == []
    dumped = json.dumps([s.model_dump(mode="json") for s in run.of("aws.iam.user")])
    assert "alice" not in dumped and "ci-robot" not in dumped


def _hide_from_report(name: str) -> Any:
    """An after-call handler making the credential report look older than the user `name`."""

    def drop_row(parsed: dict[str, Any], **_: Any) -> None:
        lines = parsed["Content"].decode().splitlines()
        parsed["Content"] = "\n".join(line for line in lines if not line.startswith(f"{name},")).encode()

    def hook(session: boto3.Session) -> None:
        session.events.register("after-call.iam.GetCredentialReport", drop_row)

    return hook


def test_users_newer_than_the_report_are_read_one_by_one(account: Account) -> None:
    fresh = _console_user_with_key(account, "newcomer")

    run = account.collect(hook=_hide_from_report("newcomer"))

    assert run.report.status == "complete", run.report.failures
    (user,) = run.of("aws.iam.user")
    assert user.id.endswith(f"user-id/{fresh}")
    assert user.attributes["password_enabled"] is True
    (key,) = user.attributes["access_keys"]
    assert key["active"] is True and key["last_rotated"]


def test_a_refused_user_read_names_no_person(account: Account) -> None:
    _console_user_with_key(account, "dora.explorer")
    denial = "User: arn:aws:sts::1:assumed-role/x is not authorized on resource: user dora.explorer"
    refused = refuse("before-call.iam.GetLoginProfile", "AccessDenied", denial)

    run = account.collect(hook=combine(_hide_from_report("dora.explorer"), refused))

    failure = next(f for f in run.report.failures if f.service == "iam")
    assert (failure.operation, failure.snapshot_types) == ("GetLoginProfile", ("aws.iam.user",))
    assert "dora" not in failure.error and "user [concealed]" in failure.error
    assert run.of("aws.iam.user") == []


def test_customer_managed_policies_with_documents(account: Account) -> None:
    iam = account.client("iam")
    admin = iam.create_policy(PolicyName="break-glass", PolicyDocument=json.dumps(ADMIN))["Policy"]["Arn"]
    iam.create_role(RoleName="ops", AssumeRolePolicyDocument="{}")
    iam.attach_role_policy(RoleName="ops", PolicyArn=admin)
    iam.create_policy(PolicyName="unused", PolicyDocument=json.dumps(ADMIN))

    run = account.collect()

    attached = run.named("aws.iam.policy", "break-glass")
    assert attached.id == admin
    assert attached.attributes == {
        "name": "break-glass",
        "kind": "managed",
        "aws_managed": False,
        "attached": True,
        "document": ADMIN,
    }
    assert run.named("aws.iam.policy", "unused").attributes["attached"] is False


def test_inline_policies_of_roles_groups_and_users(account: Account) -> None:
    iam = account.client("iam")
    role = iam.create_role(RoleName="deployer", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    iam.put_role_policy(RoleName="deployer", PolicyName="deploy-all", PolicyDocument=json.dumps(ADMIN))
    group = iam.create_group(GroupName="readers")["Group"]["Arn"]
    read = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
    iam.put_group_policy(GroupName="readers", PolicyName="read", PolicyDocument=json.dumps(read))
    user_id = iam.create_user(UserName="erin.ops")["User"]["UserId"]
    iam.put_user_policy(UserName="erin.ops", PolicyName="own-keys", PolicyDocument=json.dumps(read))

    run = account.collect()

    inline = {s.id: s for s in run.of("aws.iam.policy") if s.attributes["kind"] == "inline"}
    user = f"arn:aws:iam::{account.account_id}:user-id/{user_id}/inline-policy/own-keys"
    assert set(inline) == {f"{role}/inline-policy/deploy-all", f"{group}/inline-policy/read", user}
    deploy = inline[f"{role}/inline-policy/deploy-all"]
    assert deploy.name == "deploy-all"
    assert deploy.attributes == {
        "name": "deploy-all",
        "kind": "inline",
        "aws_managed": False,
        "attached": True,
        "document": ADMIN,
    }
    assert inline[user].attributes["document"] == read
    assert "erin" not in json.dumps(inline[user].model_dump(mode="json"))  # a user is never named
    assert not [f for f in run.report.failures if f.service == "iam"]


def test_guardduty_detectors_and_config_recorders(account: Account) -> None:
    features = [
        {"Name": "S3_DATA_EVENTS", "Status": "ENABLED"},
        {"Name": "EKS_AUDIT_LOGS", "Status": "DISABLED"},
    ]
    account.client("guardduty").create_detector(Enable=True, Features=features)
    config = account.client("config")
    role = f"arn:aws:iam::{account.account_id}:role/config"
    group = {"allSupported": True, "includeGlobalResourceTypes": True}
    config.put_configuration_recorder(
        ConfigurationRecorder={"name": "default", "roleARN": role, "recordingGroup": group}
    )
    bucket = unique("config")
    account.client("s3").create_bucket(Bucket=bucket)
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": bucket})
    config.start_configuration_recorder(ConfigurationRecorderName="default")

    run = account.collect()

    (detector,) = run.of("aws.guardduty.detector")
    assert detector.attributes["enabled"] is True
    assert detector.attributes["features"]["S3_DATA_EVENTS"] is True
    assert detector.attributes["features"]["EKS_AUDIT_LOGS"] is False
    assert run.named("aws.config.recorder", "default").attributes == {
        "name": "default",
        "all_supported": True,
        "include_global_resource_types": True,
        "recording": True,
    }


def test_log_groups_and_event_rules(account: Account) -> None:
    logs = account.client("logs")
    logs.create_log_group(logGroupName="/app/orders", tags={"data_category": "personal"})
    logs.put_retention_policy(logGroupName="/app/orders", retentionInDays=400)
    events = account.client("events")
    pattern = {"source": ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"]}
    events.put_rule(Name="iam-changes", EventPattern=json.dumps(pattern), State="ENABLED")
    events.put_targets(Rule="iam-changes", Targets=[{"Id": "page", "Arn": "arn:aws:sns:us-east-1:1:alerts"}])
    events.put_rule(Name="nightly", ScheduleExpression="rate(1 day)", State="DISABLED")

    run = account.collect()

    group = run.named("aws.logs.log_group", "/app/orders")
    assert group.id == f"arn:aws:logs:us-east-1:{account.account_id}:log-group:/app/orders"
    assert group.attributes == {
        "name": "/app/orders",
        "retention_in_days": 400,
        "kms_key_id": None,
        "tags": {"data_category": "personal"},
    }
    iam_rule = run.named("aws.events.rule", "iam-changes")
    assert iam_rule.id == f"arn:aws:events:us-east-1:{account.account_id}:rule/iam-changes"
    assert iam_rule.attributes == {
        "name": "iam-changes",
        "enabled": True,
        "event_pattern": pattern,
        "target_count": 1,
    }
    nightly = run.named("aws.events.rule", "nightly").attributes
    assert nightly["enabled"] is False and nightly["event_pattern"] is None and nightly["target_count"] == 0
