"""Persistence: models, the async engine and versioned migrations."""
