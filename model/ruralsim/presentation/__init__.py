"""Presentation layer: labels in English and Chinese, fonts, figure checks and reports.

Reads stored results (or the analysis layer's tables); never runs the model.
"""
