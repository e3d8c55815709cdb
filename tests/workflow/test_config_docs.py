"""The config schema documents every key, and config/README.md explains every key of it."""

from __future__ import annotations

from pathlib import Path

import yaml

from textqca.config import validate_config

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


def _keys(schema: dict, prefix: str = ""):
    for key, sub in schema.get("properties", {}).items():
        path = f"{prefix}{key}"
        yield path, sub
        if sub.get("type") == "object":
            yield from _keys(sub, path + ".")


def test_every_key_has_a_description_and_a_default():
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    for path, sub in _keys(schema):
        assert sub.get("description"), f"{path}: no description"
        assert "default" in sub, f"{path}: no default"


def test_readme_explains_every_key():
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    readme = (REPO / "config" / "README.md").read_text(encoding="utf-8")
    missing = [path for path, _ in _keys(schema) if f"`{path}`" not in readme]
    assert not missing, f"config/README.md does not explain: {missing}"


def test_shipped_config_is_valid_and_defaults_reproduce_it():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    filled = validate_config(config, SCHEMA)
    assert validate_config({}, SCHEMA)["corpus"] == filled["corpus"]
    assert filled["coding"]["source"] in {"human_then_auto", "human", "auto"}
