"""WHAT Assay promises: frameworks, their requirements, and the controls mapped onto them (data + models)."""

from controls.loader import Catalog, CatalogError, load_catalog
from controls.models import Automation, Control, Framework, Frequency, Requirement, Severity

__all__ = [
    "Automation",
    "Catalog",
    "CatalogError",
    "Control",
    "Framework",
    "Frequency",
    "Requirement",
    "Severity",
    "load_catalog",
]
