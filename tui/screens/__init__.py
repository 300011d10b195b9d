"""The dashboard's screens: main, place, actor, article, figure provenance, search, help."""
