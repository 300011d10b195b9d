"""sitrep's terminal front end: the `sitrep` command and the Textual dashboard."""
