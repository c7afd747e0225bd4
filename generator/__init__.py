"""Publish a bilingual (English/Russian) Markdown knowledge base as an MkDocs Material site.

The pipeline: load -> validate -> link -> render -> engine (see `generator.pipeline`).
"""

from .model import Diagnostic, Note, Page, Section, Vault, WikiLink
from .pipeline import build, check

__all__ = ["Diagnostic", "Note", "Page", "Section", "Vault", "WikiLink", "build", "check"]
