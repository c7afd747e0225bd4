"""The taxonomy: which fields each kind of note has and which values they may hold, read from
YAML so that a vault can change its vocabulary without touching code.

Where it comes from, first found wins: `--taxonomy FILE`, `taxonomy.yml` at the root of the
notes folder, the built-in `taxonomy_default.yml` (its comments document the format). A file's
entries under `fields:` and `kinds:` replace the built-in entries of the same name; with
`extends: none` the file stands alone. A broken file is a `TaxonomyError` naming the file and
line of every problem, all of them at once, so that one run shows everything to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from .labels import Labels, read_labels, read_sections
from .suggest import suggest

try:  # libyaml when present, as in frontmatter.py
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

DEFAULT_PATH = Path(__file__).with_name("taxonomy_default.yml")
VAULT_FILE_NAME = "taxonomy.yml"

FieldType = Literal["string", "list", "date", "id"]
FIELD_TYPES: tuple[FieldType, ...] = ("string", "list", "date", "id")

# {slug} in a file-name pattern: lowercase ASCII words joined by single hyphens.
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class TaxonomyError(Exception):
    """A taxonomy file that cannot be used; `problems` are (line, message) pairs."""

    def __init__(self, path: str, problems: list[tuple[int | None, str]]):
        self.path = path
        self.problems = problems
        super().__init__(self._format())

    @property
    def line(self) -> int | None:
        return self.problems[0][0] if self.problems else None

    def _format(self) -> str:
        lines = [f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}"
                 for line, message in self.problems]
        head = "broken taxonomy file" if len(lines) == 1 else \
            f"broken taxonomy file ({len(lines)} problems)"
        return head + ":\n  " + "\n  ".join(lines)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    values: tuple[str, ...] | None = None  # allowed values (of each item, for a list)
    values_by_topic: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True)
class KindSpec:
    name: str
    file_name: str  # the pattern as written, e.g. "q-{slug}--{topic}--{difficulty}"
    pattern: re.Pattern[str]  # compiled; group "slug", and "f<i>" for placeholder_fields[i]
    placeholder_fields: tuple[str, ...]  # front-matter fields the file name repeats
    required: tuple[str, ...] = ()
    recommended: tuple[str, ...] = ()
    bilingual_title: bool = True
    bilingual_body: bool = True

    @property
    def prefix(self) -> str:
        """The literal start of the pattern ("q-"), how people recognise the kind."""
        return self.file_name.split("{", 1)[0]

    def file_name_for(self, meta: Mapping[str, Any], slug: str) -> str | None:
        """The file name (without .md) this note should have, or None when a value is unknown."""
        values = {"slug": slug}
        for name in self.placeholder_fields:
            value = meta.get(name)
            if not isinstance(value, str) or not re.fullmatch(SLUG, value):
                return None
            values[name] = value
        return self.file_name.format(**values)


@dataclass(frozen=True)
class TagRules:
    difficulty: str | None = None  # "difficulty/{difficulty}"
    # topic -> tag pattern, e.g. "android" -> "android/{subtopic}"
    mirror_subtopics: Mapping[str, str] = field(default_factory=dict)
    english_only: bool = False
    sorted: bool = False  # tags in alphabetical order (FM210)


@dataclass(frozen=True)
class Taxonomy:
    source: str  # the file it was read from, or "built-in"
    fields: Mapping[str, FieldSpec]
    kinds: Mapping[str, KindSpec]
    tags: TagRules = TagRules()
    labels: Labels = Labels()  # how values and shared sections read per language (labels.py)
    # Front-matter keys no field describes (tools add flashcard ids, sync stamps): "accept"
    # them, or "warn" (FM211).
    unknown_keys: str = "accept"

    def kind_for_prefix(self, stem: str) -> KindSpec | None:
        """The kind whose file-name prefix the name starts with (the longest prefix wins)."""
        matches = [kind for kind in self.kinds.values()
                   if kind.prefix and stem.startswith(kind.prefix)]
        return max(matches, key=lambda kind: len(kind.prefix), default=None)


# --- loading -------------------------------------------------------------------------------

def load_taxonomy(path: Path | None, notes_dir: Path) -> Taxonomy:
    """The taxonomy for a notes folder: `path` if given, else `taxonomy.yml` at the folder's
    root, else the built-in one. Raises TaxonomyError for a missing or broken file."""
    if path is None:
        candidate = notes_dir / VAULT_FILE_NAME
        if not candidate.is_file():
            return default_taxonomy()
        path = candidate
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaxonomyError(str(path), [(None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise TaxonomyError(str(path), [(None, f"cannot read the file: {error}")]) from None
    return parse_taxonomy(text, str(path), base=default_taxonomy())


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    return parse_taxonomy(text, "built-in", base=None, file_label=str(DEFAULT_PATH))


def parse_taxonomy(text: str, source: str, base: Taxonomy | None,
                   file_label: str | None = None) -> Taxonomy:
    """Parse taxonomy YAML; entries replace those of `base` unless the text says
    `extends: none`."""
    reader = _Reader(file_label or source)
    root = reader.compose(text)
    if root is None:
        raise TaxonomyError(reader.path, reader.problems)
    taxonomy = reader.taxonomy(root, source, base)
    if reader.problems:
        raise TaxonomyError(reader.path, sorted(reader.problems, key=lambda p: p[0] or 0))
    assert taxonomy is not None
    return taxonomy


_TOP_KEYS = ("extends", "fields", "kinds", "tags", "labels", "sections", "unknown_keys", "version")
_FIELD_KEYS = ("type", "values", "values_by_topic", "min", "max")
_KIND_KEYS = ("file_name", "required", "recommended", "bilingual_title", "bilingual_body")
_TAG_KEYS = ("difficulty", "mirror_subtopics", "english_only", "sorted")


class _Reader:
    """Reads the YAML node tree, so that every problem knows its line."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[tuple[int | None, str]] = []

    # -- YAML ------------------------------------------------------------------------------
    def compose(self, text: str) -> yaml.Node | None:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = " ".join(str(part) for part in (error.context, error.problem) if part)
            self.problems.append((mark.line + 1 if mark else None, f"YAML syntax error: {message}"))
            return None
        except yaml.YAMLError as error:
            self.problems.append((None, f"YAML error: {error}"))
            return None
        finally:
            loader.dispose()
        if node is None:
            self.problems.append((None, "the file is empty; expected a mapping with `fields:` "
                                        "and `kinds:`"))
            return None
        return node

    def problem(self, node: yaml.Node | None, message: str) -> None:
        self.problems.append((node.start_mark.line + 1 if node is not None else None, message))

    def mapping(self, node: yaml.Node, where: str, keys: tuple[str, ...] | None = None
                ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """{key: (key node, value node)} of a mapping node; problems for anything else."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where} must be a mapping, not {_describe(node)}")
            return None
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"{where}: keys must be plain names")
                continue
            key = str(key_node.value)
            if key in result:
                first = result[key][0].start_mark.line + 1
                self.problem(key_node, f"{where}: duplicate key '{key}' (first at line {first})")
                continue
            if keys is not None and key not in keys:
                hint = suggest(key, keys)
                self.problem(key_node, f"{where}: unknown key '{key}'"
                             + (f" (did you mean '{hint}'?)" if hint else "")
                             + f"; expected one of: {', '.join(keys)}")
                continue
            result[key] = (key_node, value_node)
        return result

    def scalar(self, node: yaml.Node, where: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{where} must be a single value, not {_describe(node)}")
            return None
        return yaml.constructor.SafeConstructor().construct_object(node)

    def string(self, node: yaml.Node, where: str, allow_none: bool = False) -> str | None:
        value = self.scalar(node, where)
        if value is None and allow_none and isinstance(node, yaml.ScalarNode):
            return None
        if not isinstance(value, str) or not value.strip():
            if isinstance(node, yaml.ScalarNode):
                shown = "an empty value" if value in (None, "") else repr(value)
                self.problem(node, f"{where} must be text, not {shown}")
            return None
        return value.strip()

    def boolean(self, node: yaml.Node, where: str) -> bool | None:
        value = self.scalar(node, where)
        if not isinstance(value, bool):
            if isinstance(node, yaml.ScalarNode):
                self.problem(node, f"{where} must be true or false, not {node.value!r}")
            return None
        return value

    def count(self, node: yaml.Node, where: str) -> int | None:
        value = self.scalar(node, where)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            if isinstance(node, yaml.ScalarNode):
                self.problem(node, f"{where} must be a whole number >= 0, not {node.value!r}")
            return None
        return value

    def strings(self, node: yaml.Node, where: str, allow_empty: bool = True
                ) -> tuple[str, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where} must be a list, not {_describe(node)}")
            return None
        items: list[str] = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
                self.problem(item, f"{where}: every item must be a non-empty name, "
                                   f"not {_describe(item)}")
                continue
            value = str(item.value).strip()
            if value in items:
                self.problem(item, f"{where}: '{value}' is listed twice")
                continue
            items.append(value)
        if not items and not allow_empty:
            self.problem(node, f"{where} must not be empty")
            return None
        return tuple(items)

    # -- the schema ------------------------------------------------------------------------
    def taxonomy(self, root: yaml.Node, source: str, base: Taxonomy | None) -> Taxonomy | None:
        top = self.mapping(root, "the taxonomy", _TOP_KEYS)
        if top is None:
            return None
        extends = "default"
        if "extends" in top:
            value = self.string(top["extends"][1], "extends")
            if value not in ("default", "none"):
                self.problem(top["extends"][1], "extends must be 'default' or 'none'")
            else:
                extends = value
        start = base if base is not None and extends == "default" else None

        fields: dict[str, FieldSpec] = dict(start.fields) if start else {}
        if "fields" in top:
            entries = self.mapping(top["fields"][1], "fields") or {}
            for name, (_, node) in entries.items():
                spec = self.field_spec(name, node)
                if spec is not None:
                    fields[name] = spec

        kinds: dict[str, KindSpec] = dict(start.kinds) if start else {}
        if "kinds" in top:
            entries = self.mapping(top["kinds"][1], "kinds") or {}
            for name, (key_node, node) in entries.items():
                spec_k = self.kind_spec(name, key_node, node)
                if spec_k is not None:
                    kinds[name] = spec_k

        tags = start.tags if start else TagRules()
        if "tags" in top:
            tags = self.tag_rules(top["tags"][1], tags)

        for kind in kinds.values():  # patterns may only repeat fields that are plain text
            for name in kind.placeholder_fields:
                spec = fields.get(name)
                if spec is not None and spec.type != "string":
                    self.problems.append((None, f"kinds.{kind.name}.file_name uses {{{name}}}, "
                                                f"but fields.{name} is a {spec.type}, "
                                                "not a string"))
        labels = start.labels if start else Labels()
        if "labels" in top:
            labels = read_labels(self, top["labels"][1], labels)
        if "sections" in top:
            labels = read_sections(self, top["sections"][1], labels)
        unknown_keys = start.unknown_keys if start else "accept"
        if "unknown_keys" in top:
            unknown_keys = self.string(top["unknown_keys"][1], "unknown_keys") or unknown_keys
            if unknown_keys not in ("accept", "warn"):
                self.problem(top["unknown_keys"][1], "unknown_keys must be 'accept' or 'warn'")
        if "version" in top:
            self.scalar(top["version"][1], "version")
        return Taxonomy(source=source, fields=fields, kinds=kinds, tags=tags, labels=labels,
                        unknown_keys=unknown_keys)

    def field_spec(self, name: str, node: yaml.Node) -> FieldSpec | None:
        where = f"fields.{name}"
        entries = self.mapping(node, where, _FIELD_KEYS)
        if entries is None:
            return None
        if "type" not in entries:
            self.problem(node, f"{where} needs a type ({' | '.join(FIELD_TYPES)})")
            return None
        type_node = entries["type"][1]
        kind = self.string(type_node, f"{where}.type")
        field_type = next((known for known in FIELD_TYPES if known == kind), None)
        if field_type is None:
            if kind is not None:
                self.problem(type_node, f"{where}.type must be one of {', '.join(FIELD_TYPES)}, "
                                        f"not '{kind}'")
            return None
        spec = FieldSpec(name=name, type=field_type)
        if "values" in entries:
            if kind in ("date", "id"):
                self.problem(entries["values"][0], f"{where}: a {kind} field cannot have values")
            else:
                spec = replace(spec, values=self.strings(entries["values"][1], f"{where}.values",
                                                         allow_empty=False))
        if "values_by_topic" in entries:
            key_node, value_node = entries["values_by_topic"]
            if kind != "list":
                self.problem(key_node, f"{where}: values_by_topic is for list fields only")
            else:
                by_topic: dict[str, tuple[str, ...]] = {}
                for topic, (_, topic_node) in (self.mapping(value_node, f"{where}.values_by_topic")
                                               or {}).items():
                    values = self.strings(topic_node, f"{where}.values_by_topic.{topic}",
                                          allow_empty=False)
                    if values is not None:
                        by_topic[topic] = values
                spec = replace(spec, values_by_topic=by_topic)
        counts: dict[str, int | None] = {}
        for key in ("min", "max"):
            if key in entries:
                if kind != "list":
                    self.problem(entries[key][0], f"{where}: {key} is for list fields only")
                    continue
                counts[key] = self.count(entries[key][1], f"{where}.{key}")
        spec = replace(spec, min_items=counts.get("min"), max_items=counts.get("max"))
        if spec.min_items is not None and spec.max_items is not None \
                and spec.min_items > spec.max_items:
            self.problem(entries["min"][1], f"{where}: min ({spec.min_items}) is greater than "
                                            f"max ({spec.max_items})")
        return spec

    def kind_spec(self, name: str, key_node: yaml.Node, node: yaml.Node) -> KindSpec | None:
        where = f"kinds.{name}"
        entries = self.mapping(node, where, _KIND_KEYS)
        if entries is None:
            return None
        if "file_name" not in entries:
            self.problem(key_node, f"{where} needs a file_name pattern, "
                                   f"e.g. \"{name[:1]}-{{slug}}\"")
            return None
        pattern_node = entries["file_name"][1]
        file_name = self.string(pattern_node, f"{where}.file_name")
        if file_name is None:
            return None
        compiled = self.file_name_pattern(file_name, pattern_node, where)
        if compiled is None:
            return None
        regex, placeholders = compiled
        lists = {key: self.strings(entries[key][1], f"{where}.{key}")
                 for key in ("required", "recommended") if key in entries}
        flags = {key: self.boolean(entries[key][1], f"{where}.{key}")
                 for key in ("bilingual_title", "bilingual_body") if key in entries}
        return KindSpec(name=name, file_name=file_name, pattern=regex,
                        placeholder_fields=placeholders,
                        required=lists.get("required") or (),
                        recommended=lists.get("recommended") or (),
                        bilingual_title=_flag(flags.get("bilingual_title"), True),
                        bilingual_body=_flag(flags.get("bilingual_body"), True))

    def file_name_pattern(self, text: str, node: yaml.Node, where: str
                          ) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
        parts = re.split(r"(\{[^{}]*\})", text)
        regex = ["^"]
        placeholders: list[str] = []
        slug = False
        for part in parts:
            if part.startswith("{") and part.endswith("}"):
                name = part[1:-1].strip()
                if name == "slug":
                    if slug:
                        self.problem(node, f"{where}.file_name has {{slug}} twice")
                        return None
                    slug = True
                    regex.append(f"(?P<slug>{SLUG})")
                elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    regex.append(f"(?P<f{len(placeholders)}>{SLUG})")
                    placeholders.append(name)
                else:
                    self.problem(node, f"{where}.file_name: '{part}' is not a placeholder; use "
                                       "{slug} or {<field name>}")
                    return None
            elif "{" in part or "}" in part:
                self.problem(node, f"{where}.file_name has an unmatched brace: {text!r}")
                return None
            else:
                regex.append(re.escape(part))
        if not slug:
            self.problem(node, f"{where}.file_name must contain {{slug}}")
            return None
        regex.append("$")
        return re.compile("".join(regex)), tuple(placeholders)

    def tag_rules(self, node: yaml.Node, start: TagRules) -> TagRules:
        entries = self.mapping(node, "tags", _TAG_KEYS)
        if entries is None:
            return start
        rules = start
        if "difficulty" in entries:
            value_node = entries["difficulty"][1]
            pattern = self.string(value_node, "tags.difficulty", allow_none=True)
            if pattern is not None and "{difficulty}" not in pattern:
                self.problem(value_node, "tags.difficulty must contain {difficulty}, "
                                         "e.g. \"difficulty/{difficulty}\"")
                pattern = None
            rules = replace(rules, difficulty=pattern)
        if "mirror_subtopics" in entries:
            mirrors: dict[str, str] = {}
            for topic, (_, value_node) in (self.mapping(entries["mirror_subtopics"][1],
                                                        "tags.mirror_subtopics") or {}).items():
                pattern = self.string(value_node, f"tags.mirror_subtopics.{topic}")
                if pattern is None:
                    continue
                if "{subtopic}" not in pattern:
                    self.problem(value_node, f"tags.mirror_subtopics.{topic} must contain "
                                             "{subtopic}, e.g. \"android/{subtopic}\"")
                    continue
                mirrors[topic] = pattern
            rules = replace(rules, mirror_subtopics=mirrors)
        if "english_only" in entries:
            flag = self.boolean(entries["english_only"][1], "tags.english_only")
            rules = rules if flag is None else replace(rules, english_only=flag)
        if "sorted" in entries:
            flag = self.boolean(entries["sorted"][1], "tags.sorted")
            rules = rules if flag is None else replace(rules, sorted=flag)
        return rules


def _flag(value: bool | None, default: bool) -> bool:
    return default if value is None else value


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{node.value!r}" if node.value != "" else "an empty value"
