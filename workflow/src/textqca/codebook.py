"""The framework codebook: load and validate it, compare versions, exchange it as REFI-QDA.

A codebook is a YAML file (``codebook/framework.yaml``) with groups (the framework's
dimensions) and codes.  Every code has a stable dotted id (``ENV.CUL.TRUST``), a parent
group, Chinese and English labels, a definition, inclusion and exclusion rules, examples,
the phrases and regular expressions the rule coder matches, and the words that put a
passage on the favourable (+1) or deficient (-1) side.  The JSON schema that checks it
ships with the package (``textqca/schemas/codebook.schema.json``).

>>> cb = load_codebook("codebook/framework.yaml")          # doctest: +SKIP
>>> cb.code("ENV.CUL.TRUST").label_zh                      # doctest: +SKIP
'信任与公共理性'

Every problem is reported as one :class:`~textqca.errors.CodebookError` line naming the
file, the line, the code and the field, e.g.
``codebook/framework.yaml:88: code ENV.TEC.PLATFORM, field patterns[2]: invalid regular
expression '(?:数据' (missing ), unterminated subpattern); fix or remove it``.

REFI-QDA: :func:`export_qdc` writes a ``.qdc`` codebook (validated against the
REFI-QDA ``Codebook.xsd`` shipped in ``textqca/data/``, MIT licence) that NVivo,
ATLAS.ti, MAXQDA and QualCoder import; :func:`import_qdc` reads one back into a codebook
(the rule-coder fields that REFI-QDA cannot carry are kept in the code's description as a
YAML block, so a round trip through textqca loses nothing).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from textqca.errors import CodebookError
from textqca.io import atomic_path, write_text_atomic

__all__ = [
    "Code",
    "Group",
    "Cues",
    "Codebook",
    "load_codebook",
    "codebook_from_dict",
    "default_codebook_path",
    "default_userdict_path",
    "diff_codebooks",
    "export_qdc",
    "import_qdc",
    "validate_qdc",
]

NONE_CODE = "NONE"


@dataclass(frozen=True)
class Group:
    """A dimension of the framework (ENV, ENV.CUL, MOT, ...) that codes hang under."""

    id: str
    label_zh: str
    label_en: str = ""
    parent: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Code:
    """One code of the codebook with everything a human or the rule coder needs."""

    id: str
    parent: str
    label_zh: str
    definition: str
    label_en: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[dict, ...] = ()
    counter_examples: tuple[dict, ...] = ()
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    positive_cues: tuple[str, ...] = ()
    negative_cues: tuple[str, ...] = ()
    positive_patterns: tuple[str, ...] = ()
    negative_patterns: tuple[str, ...] = ()
    color: str | None = None
    guid: str | None = None


@dataclass(frozen=True)
class Cues:
    """Global cue words deciding polarity (negation, remedy, contrast, before/after)."""

    negation: tuple[str, ...] = ()
    negation_after: tuple[str, ...] = ()
    remedy: tuple[str, ...] = ()
    contrast: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    rhetorical: tuple[str, ...] = ()
    not_negation: tuple[str, ...] = ()
    negation_window: int = 12


@dataclass(frozen=True)
class Codebook:
    """A validated codebook.  ``sha256`` is the hash of the file's bytes."""

    id: str
    version: str
    name_zh: str
    codes: tuple[Code, ...]
    groups: tuple[Group, ...]
    cues: Cues = field(default_factory=Cues)
    name_en: str = ""
    description: str = ""
    coding_rules: tuple[str, ...] = ()
    path: str | None = None
    sha256: str = ""
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def code_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.codes)

    def code(self, code_id: str) -> Code:
        for c in self.codes:
            if c.id == code_id:
                return c
        raise KeyError(code_id)

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)


# --------------------------------------------------------------------------- locations


def default_codebook_path() -> Path:
    """``codebook/framework.yaml`` of the current project (the working directory)."""
    return Path("codebook") / "framework.yaml"


def default_userdict_path(codebook_path: str | os.PathLike | None = None) -> Path | None:
    """The jieba user dictionary next to the codebook (``userdict.txt``), if it exists."""
    base = Path(codebook_path).parent if codebook_path else Path("codebook")
    p = base / "userdict.txt"
    return p if p.is_file() else None


@lru_cache(maxsize=1)
def _schema() -> dict:
    text = resources.files("textqca").joinpath("schemas/codebook.schema.json").read_text("utf-8")
    return json.loads(text)


# --------------------------------------------------------------------------- YAML lines


def _line_of(node: Any, path: list) -> int | None:
    """1-based line of the YAML node at ``path`` (keys and indices), or of its nearest parent."""
    line = None
    for key in path:
        if node is None:
            break
        line = node.start_mark.line + 1
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    nxt = v
                    line = k.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        node = nxt
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _where(data: dict, path: list) -> str:
    """Human words for a path: ``code ENV.CUL.TRUST, field patterns[2]``."""
    path = list(path)
    if len(path) >= 2 and path[0] in ("codes", "groups") and isinstance(path[1], int):
        items = data.get(path[0]) or []
        item = items[path[1]] if path[1] < len(items) else {}
        ident = item.get("id") if isinstance(item, dict) else None
        kind = "code" if path[0] == "codes" else "group"
        who = f"{kind} {ident}" if ident else f"{kind} #{path[1] + 1}"
        rest = path[2:]
    else:
        who, rest = "", path
    fld = ""
    for p in rest:
        fld += f"[{p}]" if isinstance(p, int) else (("." if fld else "") + str(p))
    if who and fld:
        return f"{who}, field {fld}"
    return who or (f"field {fld}" if fld else "top level")


# --------------------------------------------------------------------------- loading


def load_codebook(path: str | os.PathLike) -> Codebook:
    """Read, validate and return the codebook at ``path`` (YAML, or a REFI-QDA ``.qdc``).

    Raises :class:`~textqca.errors.CodebookError` with one line naming the file, line,
    code and field on the first problem: a schema violation, a duplicate id, a parent that
    is not a group, an empty phrase or pattern, an invalid regular expression.
    """
    p = Path(path)
    if not p.is_file():
        default = p.as_posix() in ("codebook/framework.yaml", "codebook/framework.yml")
        hint = "; pass --codebook FILE, or run from the project folder that holds codebook/framework.yaml" if default else ""
        raise CodebookError(f"codebook file not found{hint}", path=p)
    if p.suffix.lower() == ".qdc":
        return import_qdc(p)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8", path=p) from None
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = str(mark.line + 1) if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(f"invalid YAML: {problem}", path=p, where=where) from None
    return codebook_from_dict(data, path=p, node=node, sha256=hashlib.sha256(raw).hexdigest())


def codebook_from_dict(data: Any, *, path: str | os.PathLike | None = None, node: Any = None, sha256: str = "") -> Codebook:
    """Validate a codebook given as plain data (as parsed from YAML) and build it."""
    import jsonschema

    def fail(msg: str, where_path: list) -> CodebookError:
        line = _line_of(node, where_path) if node is not None else None
        where = str(line) if line else None
        return CodebookError(f"{_where(data, where_path)}: {msg}", path=path, where=where)

    if not isinstance(data, dict):
        raise CodebookError("a codebook is a YAML mapping with id, version, name_zh, groups and codes", path=path)
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        err = errors[0]
        where_path = list(err.absolute_path)
        if err.validator == "required" and "'" in err.message:
            where_path.append(err.message.split("'")[1])
        raise fail(_schema_message(err), where_path)

    seen: dict[str, list] = {}
    for kind in ("groups", "codes"):
        for i, item in enumerate(data[kind]):
            ident = item["id"]
            if ident.upper() == NONE_CODE:
                raise fail("the id NONE is reserved for 'no code applies'; choose another id", [kind, i, "id"])
            if ident in seen:
                k0, i0 = seen[ident]
                first = _line_of(node, [k0, i0, "id"]) if node is not None else None
                at = f" (first defined at line {first})" if first else ""
                raise fail(f"duplicate id {ident!r}{at}; ids must be unique across groups and codes", [kind, i, "id"])
            seen[ident] = [kind, i]
    group_ids = {g["id"] for g in data["groups"]}
    for i, g in enumerate(data["groups"]):
        if g.get("parent") is not None and g["parent"] not in group_ids:
            raise fail(f"unknown parent {g['parent']!r}; known groups: {', '.join(sorted(group_ids))}", ["groups", i, "parent"])
    _check_group_cycles(data, fail)
    for i, c in enumerate(data["codes"]):
        if c["parent"] not in group_ids:
            raise fail(f"unknown parent {c['parent']!r}; the parent must be one of the groups: {', '.join(sorted(group_ids))}", ["codes", i, "parent"])
        pol = c.get("polarity") or {}
        for where, pats in ((["patterns"], c.get("patterns") or []),
                            (["polarity", "positive_patterns"], pol.get("positive_patterns") or []),
                            (["polarity", "negative_patterns"], pol.get("negative_patterns") or [])):
            for j, pat in enumerate(pats):
                try:
                    rx = re.compile(pat)
                except re.error as exc:
                    raise fail(f"invalid regular expression {pat!r} ({exc}); fix or remove it", ["codes", i, *where, j]) from None
                if rx.search("") is not None:
                    raise fail(f"regular expression {pat!r} matches the empty string, so it would match every passage; make it require at least one character", ["codes", i, *where, j])

    cues_raw = data.get("cues") or {}
    cues = Cues(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in cues_raw.items()})
    groups = tuple(
        Group(id=g["id"], label_zh=g["label_zh"], label_en=g.get("label_en", ""), parent=g.get("parent"), description=g.get("description", ""))
        for g in data["groups"]
    )
    codes = tuple(
        Code(
            id=c["id"],
            parent=c["parent"],
            label_zh=c["label_zh"],
            definition=" ".join(c["definition"].split()),
            label_en=c.get("label_en", ""),
            include=tuple(c.get("include") or ()),
            exclude=tuple(c.get("exclude") or ()),
            examples=tuple(c.get("examples") or ()),
            counter_examples=tuple(c.get("counter_examples") or ()),
            phrases=tuple(c.get("phrases") or ()),
            patterns=tuple(c.get("patterns") or ()),
            hints=tuple(c.get("hints") or ()),
            positive_cues=tuple((c.get("polarity") or {}).get("positive") or ()),
            negative_cues=tuple((c.get("polarity") or {}).get("negative") or ()),
            positive_patterns=tuple((c.get("polarity") or {}).get("positive_patterns") or ()),
            negative_patterns=tuple((c.get("polarity") or {}).get("negative_patterns") or ()),
            color=c.get("color"),
            guid=c.get("guid"),
        )
        for c in data["codes"]
    )
    if not sha256:
        sha256 = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return Codebook(
        id=data["id"],
        version=str(data["version"]),
        name_zh=data["name_zh"],
        name_en=data.get("name_en", ""),
        description=" ".join(str(data.get("description", "")).split()),
        coding_rules=tuple(data.get("coding_rules") or ()),
        codes=codes,
        groups=groups,
        cues=cues,
        path=None if path is None else str(path),
        sha256=sha256,
        raw=data,
    )


def _check_group_cycles(data: dict, fail) -> None:
    parents = {g["id"]: g.get("parent") for g in data["groups"]}
    for i, g in enumerate(data["groups"]):
        seen = {g["id"]}
        cur = parents.get(g["id"])
        while cur is not None:
            if cur in seen:
                raise fail(f"group parents form a cycle through {cur!r}", ["groups", i, "parent"])
            seen.add(cur)
            cur = parents.get(cur)


def _schema_message(err: Any) -> str:
    v = err.validator
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"missing required field {missing!r}"
    if v == "additionalProperties":
        return f"{err.message}; check the spelling against the codebook fields"
    if v in ("minLength", "pattern") and isinstance(err.instance, str) and not err.instance.strip():
        return "empty value; write the phrase, pattern or text, or delete the entry"
    if v == "pattern":
        return f"{err.instance!r} is not a valid value here ({err.schema.get('description') or 'pattern ' + err.schema['pattern']})"
    if v == "enum":
        return f"{err.instance!r} is not one of {err.validator_value}"
    if v == "type":
        return f"{err.instance!r} should be of type {err.validator_value}"
    if v == "minItems":
        return "must not be empty"
    return err.message


# --------------------------------------------------------------------------- diff


def _list_change(name: str, a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
    """One line per entry added to or removed from a top-level list of strings."""
    out = [f"+ {name}: {x}" for x in b if x not in a]
    out += [f"- {name}: {x}" for x in a if x not in b]
    if not out and a != b:
        out.append(f"~ {name}: reordered")
    return out


def diff_codebooks(old: Codebook, new: Codebook) -> list[str]:
    """What changed from ``old`` to ``new``: one human-readable line per change.

    Lists added and removed codes and groups, and for codes kept, each field that changed
    (for list fields, the entries added and removed).  Empty when the two are equivalent.
    Also lists changes to the codebook's own fields, its coding rules and its polarity
    cue words, which change coding as much as a code's phrases do.
    """
    out: list[str] = []
    for fld in ("id", "name_zh", "name_en", "description"):
        a, b = getattr(old, fld), getattr(new, fld)
        if a != b:
            out.append(f"~ codebook {fld}: {a!r} -> {b!r}")
    out += _list_change("coding_rules", old.coding_rules, new.coding_rules)
    for fld in old.cues.__dataclass_fields__:
        a, b = getattr(old.cues, fld), getattr(new.cues, fld)
        if a == b:
            continue
        if isinstance(a, tuple):
            out += _list_change(f"cues.{fld}", a, b)
        else:
            out.append(f"~ cues.{fld}: {a!r} -> {b!r}")
    og, ng = {g.id: g for g in old.groups}, {g.id: g for g in new.groups}
    for gid in sorted(ng.keys() - og.keys()):
        out.append(f"+ group {gid} ({ng[gid].label_zh})")
    for gid in sorted(og.keys() - ng.keys()):
        out.append(f"- group {gid} ({og[gid].label_zh})")
    for gid in sorted(og.keys() & ng.keys()):
        for fld in ("label_zh", "label_en", "parent", "description"):
            a, b = getattr(og[gid], fld), getattr(ng[gid], fld)
            if a != b:
                out.append(f"~ group {gid} {fld}: {a!r} -> {b!r}")
    oc, nc = {c.id: c for c in old.codes}, {c.id: c for c in new.codes}
    for cid in [c.id for c in new.codes if c.id not in oc]:
        out.append(f"+ code {cid} ({nc[cid].label_zh})")
    for cid in [c.id for c in old.codes if c.id not in nc]:
        out.append(f"- code {cid} ({oc[cid].label_zh})")
    for cid in [c.id for c in old.codes if c.id in nc]:
        a, b = oc[cid], nc[cid]
        for fld in a.__dataclass_fields__:
            va, vb = getattr(a, fld), getattr(b, fld)
            if va == vb or fld == "guid":
                continue
            if isinstance(va, tuple) and isinstance(vb, tuple):
                key = lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True) if isinstance(x, dict) else x  # noqa: E731
                ka, kb = [key(x) for x in va], [key(x) for x in vb]
                added = [x for x in kb if x not in ka]
                removed = [x for x in ka if x not in kb]
                parts = []
                if added:
                    parts.append("added " + ", ".join(added))
                if removed:
                    parts.append("removed " + ", ".join(removed))
                out.append(f"~ code {cid} {fld}: " + ("; ".join(parts) if parts else "reordered"))
            else:
                out.append(f"~ code {cid} {fld}: {va!r} -> {vb!r}")
    if old.version != new.version:
        out.insert(0, f"version: {old.version} -> {new.version}")
    elif out:
        out.insert(0, f"version unchanged ({new.version}) although the content changed: raise the version")
    return out


# --------------------------------------------------------------------------- REFI-QDA

_QDC_NS = "urn:QDA-XML:codebook:1.0"
_GUID_NS = uuid.UUID("6f1c5a0e-8f0e-5b4e-9a59-7465787471ca")  # textqca namespace for uuid5
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
_META_MARK = "--- textqca ---"


@lru_cache(maxsize=1)
def _qdc_schema():
    from lxml import etree

    with resources.files("textqca").joinpath("data/refi-qda/Codebook.xsd").open("rb") as fh:
        return etree.XMLSchema(etree.parse(fh))


def _guid(codebook_id: str, key: str) -> str:
    return str(uuid.uuid5(_GUID_NS, f"{codebook_id}/{key}"))


def validate_qdc(path: str | os.PathLike) -> None:
    """Validate a ``.qdc`` file against the REFI-QDA codebook schema; one-line error if not."""
    from lxml import etree

    try:
        doc = etree.parse(str(path))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise CodebookError(f"not a readable XML file ({exc})", path=path) from None
    schema = _qdc_schema()
    if not schema.validate(doc):
        e = schema.error_log.last_error
        raise CodebookError(f"not a valid REFI-QDA codebook: {e.message}", path=path, where=str(e.line)) from None


def export_qdc(codebook: Codebook, output: str | os.PathLike) -> Path:
    """Write ``codebook`` as a REFI-QDA ``.qdc`` file, validated against ``Codebook.xsd``.

    Groups become non-codable parent codes, codes codable children; the description of each
    code carries its definition and rules as text, followed by a YAML block with the fields
    REFI-QDA has no place for (phrases, patterns, cues, examples).  GUIDs are stable
    (UUIDv5 of the codebook id and the code id), so re-exporting does not churn them.
    """
    from lxml import etree

    ns = "{%s}" % _QDC_NS
    root = etree.Element(ns + "CodeBook", nsmap={None: _QDC_NS}, origin=f"textqca codebook {codebook.id} {codebook.version}")
    codes_el = etree.SubElement(root, ns + "Codes")
    children: dict[str | None, list] = {}
    for g in codebook.groups:
        children.setdefault(g.parent, []).append(("group", g))
    for c in codebook.codes:
        children.setdefault(c.parent, []).append(("code", c))
    top_colors = {}

    def add(parent_el, kind, obj, color):
        meta: dict[str, Any]
        if kind == "group":
            desc = obj.description
            meta = {"kind": "group", "id": obj.id, "label_en": obj.label_en}
            if obj.parent is None:
                meta["codebook"] = {k: v for k, v in codebook.raw.items() if k not in ("groups", "codes")}
        else:
            desc = obj.definition
            meta = {"kind": "code", "id": obj.id, "label_en": obj.label_en}
            raw = next((c for c in codebook.raw.get("codes", []) if c.get("id") == obj.id), {})
            meta.update({k: v for k, v in raw.items() if k not in ("id", "parent", "label_zh", "label_en", "definition", "guid")})
        text = f"{desc}\n{_META_MARK}\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        el = etree.SubElement(
            parent_el, ns + "Code",
            guid=getattr(obj, "guid", None) or _guid(codebook.id, obj.id),
            name=f"{obj.id} {obj.label_zh}",
            isCodable="true" if kind == "code" else "false",
            color=getattr(obj, "color", None) or color,
        )
        d = etree.SubElement(el, ns + "Description")
        d.text = text
        for k2, o2 in children.get(obj.id, []):
            add(el, k2, o2, color)

    for i, (kind, obj) in enumerate(children.get(None, [])):
        top_colors[obj.id] = _PALETTE[i % len(_PALETTE)]
        add(codes_el, kind, obj, top_colors[obj.id])
    sets_el = etree.SubElement(root, ns + "Sets")
    for g in codebook.groups:
        members = [c for c in codebook.codes if c.parent == g.id]
        if not members:
            continue
        s = etree.SubElement(sets_el, ns + "Set", guid=_guid(codebook.id, "set:" + g.id), name=f"{g.id} {g.label_zh}")
        for c in members:
            etree.SubElement(s, ns + "MemberCode", guid=c.guid or _guid(codebook.id, c.id))
    if len(sets_el) == 0:
        root.remove(sets_el)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    out = Path(output)
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
        validate_qdc(tmp)
    return out


def import_qdc(path: str | os.PathLike, *, version: str | None = None) -> Codebook:
    """Read a REFI-QDA ``.qdc`` codebook (from textqca or any QDA program) into a codebook.

    The file is validated against ``Codebook.xsd`` first.  Codes exported by textqca keep
    all their fields.  Codes from other programs: a non-codable code (or any code with
    children) becomes a group, a codable leaf becomes a code; its id is the first word of
    its name when that looks like a dotted id, else ``C<n>``; its description becomes the
    definition.  Codable codes at top level go under a group ``ROOT``.
    """
    from lxml import etree

    p = Path(path)
    validate_qdc(p)
    root = etree.parse(str(p)).getroot()
    ns = {"q": _QDC_NS}
    groups: list[dict] = []
    codes: list[dict] = []
    top_meta: dict = {}
    counter = [0]

    def parse_desc(el) -> tuple[str, dict]:
        d = el.find("q:Description", ns)
        text = d.text if d is not None and d.text else ""
        if _META_MARK in text:
            head, _, tail = text.partition(_META_MARK)
            try:
                meta = yaml.safe_load(tail) or {}
            except yaml.YAMLError:
                meta = {}
            return head.strip(), meta if isinstance(meta, dict) else {}
        return text.strip(), {}

    def ident(name: str, meta: dict) -> tuple[str, str]:
        if meta.get("id"):
            label = name[len(meta["id"]):].strip() if name.startswith(meta["id"]) else name
            return meta["id"], label or name
        first, _, rest = name.partition(" ")
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*", first) and rest.strip():
            return first, rest.strip()
        counter[0] += 1
        return f"C{counter[0]}", name

    def walk(el, parent: str | None):
        name = el.get("name")
        desc, meta = parse_desc(el)
        cid, label = ident(name, meta)
        kids = el.findall("q:Code", ns)
        is_group = meta.get("kind") == "group" or (not meta and (el.get("isCodable") == "false" or kids))
        if is_group:
            if "codebook" in meta:
                top_meta.update(meta["codebook"])
            g = {"id": cid, "label_zh": label}
            if parent:
                g["parent"] = parent
            if meta.get("label_en"):
                g["label_en"] = meta["label_en"]
            if desc:
                g["description"] = desc
            groups.append(g)
            for k in kids:
                walk(k, cid)
        else:
            if parent is None:
                if not any(g["id"] == "ROOT" for g in groups):
                    groups.append({"id": "ROOT", "label_zh": "未分组"})
                parent = "ROOT"
            c = {"id": cid, "parent": parent, "label_zh": label, "definition": desc or label}
            if meta.get("label_en"):
                c["label_en"] = meta["label_en"]
            for k, v in meta.items():
                if k not in ("kind", "id", "label_en", "color"):
                    c[k] = v
            c["guid"] = el.get("guid")
            if el.get("color") and (not meta or meta.get("color")):
                c["color"] = el.get("color")
            codes.append(c)

    for el in root.find("q:Codes", ns).findall("q:Code", ns):
        walk(el, None)
    data = {
        "id": top_meta.get("id") or p.stem,
        "version": version or str(top_meta.get("version") or "1.0.0"),
        "name_zh": top_meta.get("name_zh") or p.stem,
    }
    for k, v in top_meta.items():
        if k not in data:
            data[k] = v
    data["groups"] = groups
    data["codes"] = codes
    return codebook_from_dict(data, path=p, sha256=hashlib.sha256(p.read_bytes()).hexdigest())


def write_codebook_yaml(codebook: Codebook, output: str | os.PathLike) -> Path:
    """Write a codebook as YAML (used by ``textqca codebook import``); atomic."""
    out = Path(output)
    write_text_atomic(yaml.safe_dump(codebook.raw, allow_unicode=True, sort_keys=False, width=1000), out)
    return out
