from __future__ import annotations

import pytest

from textqca.codebook import load_codebook


@pytest.fixture(scope="session")
def codebook(repo_dir):
    return load_codebook(repo_dir / "codebook" / "framework.yaml")


@pytest.fixture(scope="session")
def rule_coder(codebook):
    from textqca.autocode.rules import RuleCoder

    return RuleCoder(codebook)


@pytest.fixture(scope="session")
def trained(codebook, repo_dir, tmp_path_factory):
    """A model trained once on the coded real-policy sample + interview-style passages."""
    from textqca.autocode import _bundled_training, _doc_of, _xy
    from textqca.autocode.model import CodeClassifier

    table = _bundled_training(codebook)
    keep = set(list(dict.fromkeys(table["passage_id"]))[::2])  # half of it keeps the suite fast
    table = table[table["passage_id"].isin(keep) | table["passage_id"].str.startswith("codebook:")]
    ids, texts, Y = _xy(table, codebook)
    model = CodeClassifier(codebook.path, cv=3, max_features=40_000).fit(texts, Y, groups=[_doc_of(i) for i in ids])
    return model, ids, texts, Y
