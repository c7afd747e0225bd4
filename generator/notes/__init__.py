"""The load stage: note files -> Note values (front matter with lines, damaged blocks, language
sections, wikilinks, fenced code)."""
