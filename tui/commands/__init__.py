"""The `sitrep` subcommands, one module per family; each exposes `register(app)`."""
