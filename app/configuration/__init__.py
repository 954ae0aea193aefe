"""Configuration: the import file's schema, its validation and the services that write it."""

from __future__ import annotations

from app.configuration.document import ConfigurationError, Problem, read_file
from app.configuration.importer import ImportReport, check, import_data, import_file, write
from app.configuration.items import delete_item, save_item, save_settings
from app.configuration.schema import canonical_meeting_type

__all__ = [
    "ConfigurationError",
    "ImportReport",
    "Problem",
    "canonical_meeting_type",
    "check",
    "delete_item",
    "import_data",
    "import_file",
    "read_file",
    "save_item",
    "save_settings",
    "write",
]
