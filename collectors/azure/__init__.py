"""Azure: the management SDKs read a subscription into the same azure.* snapshots the azurerm reader makes."""

from collectors.azure.collect import COLLECTOR, collect_azure

__all__ = ["COLLECTOR", "collect_azure"]
