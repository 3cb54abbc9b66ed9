"""Coordinator summaries: gathering aggregates, rendering them as tables, CSV and a chart."""
