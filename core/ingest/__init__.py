"""Reading articles (and feed lists) from files: one module per format, one dispatcher."""

from core.ingest.base import InputError, Item, ItemError, ItemWarning
from core.ingest.dispatch import READERS, reader_for, supported

__all__ = ["READERS", "InputError", "Item", "ItemError", "ItemWarning", "reader_for", "supported"]
