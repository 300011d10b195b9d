"""Extraction: places, actors, humanitarian figures, control changes and quotes from article text.

`core.extract.pipeline.Extractor` is the one entry point ingest and the CLI use.
"""
