"""S3 buckets and the account-wide Block Public Access setting."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from collectors import ResourceSnapshot
from policies.model import Context, Resources, Verdict, failed, not_applicable, passed
from policies.python._common import (
    about,
    as_list,
    display_name,
    holds_personal_data,
    judge,
    statements,
    tag,
    unset_flags,
)
from policies.sdk import aggregate_policy, policy

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


@policy(
    "aws.s3.bucket_sse_kms",
    resource_types=["aws.s3.bucket"],
    title="S3 buckets encrypt objects with KMS keys",
    severity="medium",
)
def bucket_sse_kms(bucket: ResourceSnapshot, ctx: Context) -> Verdict:
    """Default encryption must use SSE-KMS (or DSSE-KMS) so key use is controlled and logged, not SSE-S3."""
    algorithm = (bucket.attributes.get("encryption") or {}).get("algorithm")
    if algorithm in KMS_ALGORITHMS:
        return passed(f"default encryption is {algorithm}")
    return failed(f"default encryption is {algorithm or 'unset'}; expected aws:kms or aws:kms:dsse")


def _is_false(value: Any) -> bool:
    """A condition value meaning false: "false", False or a list of such."""
    values = as_list(value)
    return bool(values) and all(str(v).strip().lower() == "false" for v in values)


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in as_list(principal.get("AWS"))


def _denies_plain_http(statement: Mapping[str, Any]) -> bool:
    if str(statement.get("Effect", "")).lower() != "deny" or not _everyone(statement.get("Principal")):
        return False
    if not {"s3:*", "*"} & {str(a).lower() for a in as_list(statement.get("Action"))}:
        return False
    for operator, conditions in (statement.get("Condition") or {}).items():
        if str(operator).lower() not in ("bool", "boolifexists") or not isinstance(conditions, Mapping):
            continue
        if any(k.lower() == "aws:securetransport" and _is_false(v) for k, v in conditions.items()):
            return True
    return False


@policy(
    "aws.s3.bucket_deny_insecure_transport",
    resource_types=["aws.s3.bucket"],
    title="S3 bucket policies refuse requests without TLS",
    severity="medium",
)
def bucket_deny_insecure_transport(bucket: ResourceSnapshot, ctx: Context) -> Verdict:
    """The bucket policy must deny s3:* to every principal when aws:SecureTransport is false."""
    document = bucket.attributes.get("policy")
    if document is None:
        return failed(
            "the bucket has no policy; expected a Deny of s3:* for all principals "
            "when aws:SecureTransport is false"
        )
    if any(_denies_plain_http(s) for s in statements(document)):
        return passed("the bucket policy denies s3:* to all principals when aws:SecureTransport is false")
    return failed(
        "no bucket policy statement denies s3:* to all principals on aws:SecureTransport false; "
        "plain HTTP requests are not refused"
    )


def _block_verdict(block: Mapping[str, Any] | None, scope: str) -> Verdict:
    if block is None:
        return failed(f"{scope} has no public access block; expected all four flags true")
    off = unset_flags(block)
    if off:
        return failed(f"{scope}: {', '.join(off)} not enabled; expected all four flags true")
    return passed(f"{scope}: all four public access block flags are on")


@policy(
    "aws.s3.bucket_public_access_block",
    resource_types=["aws.s3.bucket"],
    title="S3 buckets block public access",
    severity="high",
)
def bucket_public_access_block(bucket: ResourceSnapshot, ctx: Context) -> Verdict:
    """All four Block Public Access settings must be on for the bucket."""
    return _block_verdict(bucket.attributes.get("public_access_block"), "the bucket")


@policy(
    "aws.s3.account_public_access_block",
    resource_types=["aws.s3.account_public_access_block"],
    title="The account blocks public S3 access",
    severity="high",
    required=True,
)
def account_public_access_block(block: ResourceSnapshot, ctx: Context) -> Verdict:
    """Account-wide Block Public Access must have all four settings on, guarding buckets created later."""
    return _block_verdict(block.attributes, "the account-wide block")


def _trail_bucket_problems(bucket: Mapping[str, Any]) -> Iterator[str]:
    lock = bucket.get("object_lock") or {}
    if not lock.get("enabled"):
        yield "object lock is not enabled"
    off = unset_flags(bucket.get("public_access_block"))
    if off:
        yield f"public access block lacks {', '.join(off)}"
    if not (bucket.get("logging") or {}).get("target_bucket"):
        yield "server access logging is off"
    if not bucket.get("versioning_enabled"):
        yield "versioning is off"


@aggregate_policy(
    "aws.s3.trail_bucket_protected",
    resource_types=["aws.cloudtrail.trail", "aws.s3.bucket"],
    subject_types=["aws.s3.bucket"],
    title="CloudTrail log buckets are locked, private, logged and versioned",
    severity="high",
)
def trail_bucket_protected(resources: Resources, ctx: Context) -> Iterator[Verdict]:
    """A bucket receiving CloudTrail logs must resist tampering and exposure; other buckets are not judged."""
    trail_buckets: dict[str, list[str]] = {}
    for trail in resources.of("aws.cloudtrail.trail"):
        target = trail.attributes.get("s3_bucket_name")
        if target:
            trail_buckets.setdefault(target, []).append(display_name(trail))
    buckets = resources.of("aws.s3.bucket")
    observed = {b.attributes.get("name") for b in buckets}
    for target, writers in sorted(trail_buckets.items()):
        if target not in observed:
            yield not_applicable(
                f"log bucket {target} of trail {', '.join(writers)} is not among the observed buckets"
            )
    for bucket in buckets:
        name = bucket.attributes.get("name", "")
        trails = trail_buckets.get(name)
        if not trails:
            yield not_applicable(f"bucket {name} receives no CloudTrail logs", bucket.id)
            continue
        verdict = judge(
            _trail_bucket_problems(bucket.attributes),
            f"log bucket of trail {', '.join(trails)} is locked, private, access-logged and versioned",
            "object lock, all public access block flags, access logging and versioning",
        )
        yield about(verdict, bucket.id)


@policy(
    "aws.s3.personal_data_lifecycle",
    resource_types=["aws.s3.bucket"],
    title="Buckets holding personal data expire objects",
    severity="medium",
)
def personal_data_lifecycle(bucket: ResourceSnapshot, ctx: Context) -> Verdict:
    """Personal data must not be kept forever: an enabled lifecycle rule must expire objects, and, when the
    bucket is versioned, noncurrent versions too (else expired objects live on as old versions)."""
    if not holds_personal_data(bucket):
        return not_applicable("the bucket's data_category tag does not include personal")
    rules = [r for r in bucket.attributes.get("lifecycle_rules", []) if r.get("enabled")]
    expiring = [r for r in rules if r.get("expiration_days")]
    if not expiring:
        return failed(
            f"{len(rules)} enabled lifecycle rule(s), none with expiration_days; "
            "expected an enabled rule that expires personal data"
        )
    if bucket.attributes.get("versioning_enabled") and not any(
        r.get("noncurrent_expiration_days") for r in rules
    ):
        return failed(
            "objects expire but the bucket is versioned and no enabled rule sets "
            "noncurrent_expiration_days; expected old versions to expire too"
        )
    days = min(r["expiration_days"] for r in expiring)
    return passed(f"an enabled lifecycle rule expires objects after {days} days")


def _lock_days(lock: Mapping[str, Any]) -> int:
    return int(lock.get("days") or 0) or int(lock.get("years") or 0) * 365


@policy(
    "aws.s3.evidence_bucket_locked",
    resource_types=["aws.s3.bucket"],
    title="The evidence bucket is write-once",
    severity="high",
    params={"min_days": 365},
)
def evidence_bucket_locked(bucket: ResourceSnapshot, ctx: Context) -> Verdict:
    """The bucket tagged purpose=evidence needs COMPLIANCE-mode object lock for at least min_days, and
    versioning, so stored evidence cannot be altered or removed before its retention ends."""
    if (tag(bucket, "purpose") or "").lower() != "evidence":
        return not_applicable("the bucket is not tagged purpose=evidence")
    min_days = int(ctx.params["min_days"])
    lock = bucket.attributes.get("object_lock") or {}
    problems = []
    if not lock.get("enabled"):
        problems.append("object lock is not enabled")
    else:
        if str(lock.get("mode") or "").upper() != "COMPLIANCE":
            problems.append(f"object lock mode is {lock.get('mode') or 'unset'}")
        if _lock_days(lock) < min_days:
            problems.append(f"default retention is {_lock_days(lock)} days")
    if not bucket.attributes.get("versioning_enabled"):
        problems.append("versioning is off")
    return judge(
        problems,
        f"COMPLIANCE-mode object lock keeps evidence {_lock_days(lock)} days",
        f"COMPLIANCE-mode object lock of at least {min_days} days and versioning",
    )
