"""Presentation layer: figures, reports and pages built from stored or fresh results."""
