"""sitrep's headless core: models, ingest, extraction, store and queries. Never imports a UI."""

__version__ = "0.1.0"
