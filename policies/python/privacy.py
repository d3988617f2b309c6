"""GDPR: data stores are classified, and personal data stays in approved regions or has a transfer basis."""

from __future__ import annotations

from fnmatch import fnmatch

from collectors import ResourceSnapshot
from policies.model import Context, Verdict, failed, not_applicable, passed
from policies.python._common import DATA_STORE_TYPES, data_categories, holds_personal_data, tag
from policies.sdk import policy

# EEA regions, plus the United Kingdom and Switzerland (both under an EU adequacy decision, GDPR Art. 45).
APPROVED_REGIONS = (
    "eu-*",  # AWS: Ireland, Frankfurt, Stockholm, Milan, Paris, Spain, London (UK), Zurich (CH)
    "westeurope",
    "northeurope",
    "germanywestcentral",
    "germanynorth",
    "francecentral",
    "francesouth",
    "swedencentral",
    "swedensouth",
    "italynorth",
    "polandcentral",
    "spaincentral",
    "norwayeast",
    "norwaywest",
    "switzerlandnorth",
    "switzerlandwest",
    "uksouth",
    "ukwest",
)


@policy(
    "privacy.datastore_classified",
    resource_types=DATA_STORE_TYPES,
    title="Data stores declare their data category and processing record",
    severity="medium",
)
def datastore_classified(store: ResourceSnapshot, ctx: Context) -> Verdict:
    """Every data store needs a data_category tag; one holding personal data also needs a ropa_id tag linking
    it to its Record of Processing Activities entry."""
    categories = data_categories(store)
    if not categories:
        return failed("no data_category tag; expected e.g. data_category=personal or internal")
    shown = ", ".join(sorted(categories))
    if "personal" not in categories:
        return passed(f"classified as {shown}")
    ropa = tag(store, "ropa_id")
    if ropa is None:
        return failed(f"classified as {shown} but no ropa_id tag; expected the processing record's id")
    return passed(f"classified as {shown}, recorded as {ropa}")


@policy(
    "privacy.personal_data_residency",
    resource_types=DATA_STORE_TYPES,
    title="Personal data stays in approved regions unless a transfer basis is recorded",
    severity="high",
    params={"approved_regions": list(APPROVED_REGIONS)},
)
def personal_data_residency(store: ResourceSnapshot, ctx: Context) -> Verdict:
    """A store holding personal data must sit in an approved region (patterns such as eu-* allowed), or
    carry a transfer_mechanism tag recording its GDPR Chapter V basis (e.g. SCC-2021, DPF)."""
    if not holds_personal_data(store):
        return not_applicable("the store's data_category tag does not include personal")
    region = (store.region or "").lower().replace(" ", "")  # Terraform accepts "West Europe"
    approved = [str(p).lower() for p in ctx.params["approved_regions"]]
    if region and any(fnmatch(region, pattern) for pattern in approved):
        return passed(f"personal data is stored in approved region {region}")
    mechanism = tag(store, "transfer_mechanism")
    where = f"region {region}" if region else "an unknown region"
    if mechanism:
        return passed(f"personal data in {where} is transferred under {mechanism}")
    return failed(
        f"personal data is stored in {where}, outside the approved regions, and no "
        "transfer_mechanism tag records a Chapter V basis; expected an approved region or the tag"
    )
