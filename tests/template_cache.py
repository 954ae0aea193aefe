"""Jinja templates, compiled once per run and shared by every test's app.

Each test builds its own app, so each app's Jinja environment would lex, parse and compile every
page it renders again (about a tenth of a second per template). This in-memory bytecode cache
keeps the compiled code across apps. Jinja checks the template's source checksum on every load,
and the key carries the environment settings that change what a template compiles to, so an
edited template or a differently configured environment compiles afresh.
"""

from __future__ import annotations

import hashlib

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in this process for every environment configured alike."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source):  # type: ignore[no-untyped-def]
        settings = (
            sorted(environment.extensions),
            getattr(environment, "newstyle_gettext", None),
            environment.block_start_string,
            environment.variable_start_string,
            environment.comment_start_string,
            environment.line_statement_prefix,
            environment.line_comment_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.keep_trailing_newline,
            environment.optimized,
            environment.is_async,
            "by name" if callable(environment.autoescape) else environment.autoescape,
        )
        key = hashlib.sha1(repr((name, filename, settings)).encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


def install() -> None:
    """Give every Flask app built from now on the shared cache (idempotent)."""
    if "bytecode_cache" not in Flask.jinja_options:
        Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedBytecodeCache()}
