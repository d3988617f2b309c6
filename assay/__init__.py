"""Assay's composition root: settings, pipeline, CLI."""

__version__ = "0.1.0"
