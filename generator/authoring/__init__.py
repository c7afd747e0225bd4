"""Tools for authors: new notes, fix, taxonomy edits, YAML line edits, kb init."""
