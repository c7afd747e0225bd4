"""The errors of the site's second half that the command line reports as one line, without a
traceback: the engine failed for a language, the vault's mkdocs.yml cannot be used, or the
installed MkDocs is not one this package was written for. Kept apart from the modules that
raise them, so that the command line can name them without importing MkDocs."""

from __future__ import annotations


class EngineError(Exception):
    """MkDocs failed for one language; carries its messages."""


class VaultConfigError(EngineError):
    """The vault's mkdocs.yml cannot be read or layered; the message names the file."""


class UnsupportedEngine(EngineError):
    """The installed MkDocs (or Material) is outside the range pyproject.toml pins: the engine
    boundary (engine.py) reaches into their internals, which change between versions."""
