"""Presentation layer: figures, labels in English and Chinese, fonts, figure checks, reports and pages.

Reads stored results (or the analysis layer's tables); never changes them.
"""
