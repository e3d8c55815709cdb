"""Validate a settings mapping against a JSON schema, with defaults and one-line errors.

Used by the workflow (``config/config.yaml`` against
``workflow/schemas/config.schema.yaml``) and by the CLI for spec files.  Defaults
declared in the schema are filled in, recursively, before validation, so the rest
of the code can rely on every key being present.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from textqca.errors import ConfigError

__all__ = ["load_yaml", "validate_config"]


def load_yaml(path: str | Path, *, error: type[ConfigError] = ConfigError) -> Any:
    """Read a YAML file; a syntax error becomes one line naming the file and line."""
    path = Path(path)
    if not path.is_file():
        raise error(f"file not found: {path}", path=None)
    try:
        with path.open(encoding="utf-8-sig") as fh:
            return yaml.safe_load(fh)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise error(f"YAML syntax error: {exc.problem}; fix the file and rerun", path=path, where=where) from None
    except yaml.YAMLError as exc:
        raise error(f"YAML error: {exc}", path=path) from None
    except UnicodeDecodeError:
        raise error("not UTF-8 text; save it as UTF-8", path=path) from None


def _fill_defaults(instance: Any, schema: Mapping[str, Any]) -> Any:
    if not isinstance(instance, dict) or schema.get("type") != "object":
        return instance
    for key, sub in schema.get("properties", {}).items():
        if key not in instance and "default" in sub:
            instance[key] = copy.deepcopy(sub["default"])
        if key in instance:
            instance[key] = _fill_defaults(instance[key], sub)
    return instance


def _path_of(error: jsonschema.ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    return ".".join(parts) if parts else "(top level)"


def validate_config(config: Mapping[str, Any] | None, schema: str | Path | Mapping[str, Any], *,
                    source: str | Path | None = None) -> dict[str, Any]:
    """Return a copy of ``config`` with schema defaults filled in, or raise :class:`ConfigError`.

    The error names the offending key (``coding.source``) and what is allowed: an unknown
    key lists the known keys of its section.
    """
    if isinstance(schema, (str, Path)):
        schema = load_yaml(schema)
    instance = copy.deepcopy(dict(config or {}))
    instance = _fill_defaults(instance, schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(instance), key=lambda e: (len(list(e.absolute_path)), str(e.absolute_path)))
    if errors:
        err = errors[0]
        where = _path_of(err)
        if err.validator == "additionalProperties":
            known = sorted(err.schema.get("properties", {}))
            extra = sorted(set(err.instance) - set(known))
            key = ".".join([*(str(p) for p in err.absolute_path), extra[0]]) if extra else where
            message = f"unknown key '{key}' (known keys here: {', '.join(known)}); check its spelling"
        elif err.validator == "enum":
            message = f"key '{where}' is {err.instance!r}; allowed values: {', '.join(map(str, err.validator_value))}"
        elif err.validator == "type":
            message = f"key '{where}' is {err.instance!r}, which is not of type {err.validator_value}"
        else:
            message = f"key '{where}': {err.message}"
        raise ConfigError(message, path=source)
    return instance
