"""The trainable coder: scikit-learn's estimator contract, calibration, persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import check_get_params_invariance, check_no_attributes_set_in_init, check_parameters_default_constructible, check_set_params

from textqca.autocode.model import CodeClassifier, load_model, save_model
from textqca.errors import CodingError

CHECKS = [check_no_attributes_set_in_init, check_parameters_default_constructible, check_get_params_invariance, check_set_params]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_sklearn_contract_checks(check, codebook):
    """The parts of check_estimator that apply to an estimator on raw text."""
    check(CodeClassifier.__name__, CodeClassifier(codebook.path))


def test_clone_and_params(codebook):
    m = CodeClassifier(codebook.path, C=2.0)
    c = clone(m)
    assert c.get_params() == m.get_params() and c is not m
    assert not hasattr(c, "coef_")


def test_not_fitted_raises(codebook):
    with pytest.raises(NotFittedError):
        CodeClassifier(codebook.path).predict(["部门之间缺乏信任。"])


def test_fit_returns_self_and_learned_attributes(trained, codebook):
    model, ids, texts, Y = trained
    assert list(model.classes_) == list(codebook.code_ids)
    for attr in ("coef_", "intercept_", "platt_", "thresholds_", "fitted_codes_", "cv_scores_", "rule_only_"):
        assert hasattr(model, attr)
    # codes without enough human coding are left to the rules
    few = [c for j, c in enumerate(model.classes_) if (Y[:, j] != 0).sum() < model.min_positives]
    assert few and model.rule_only_ == few
    assert model.cv_scores_["ENV.INS.LINKAGE"]["model"] is True


def test_bad_inputs(codebook):
    m = CodeClassifier(codebook.path)
    with pytest.raises(ValueError, match="shape"):
        m.fit(["部门之间缺乏信任。", "信息共享。"], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="-1, 0 and 1"):
        m.fit(["部门之间缺乏信任。", "信息共享。"], np.full((2, len(codebook.codes)), 2))
    with pytest.raises(ValueError, match="single string"):
        m.fit("部门之间缺乏信任。", np.zeros((1, len(codebook.codes))))


def test_predict_shapes_and_probabilities(trained):
    model, ids, texts, Y = trained
    X = ["市民政部门应当会同公安、市场监管等部门建立养老服务联席会议制度，定期通报情况。", "本条例自2022年5月1日起施行。"]
    P = model.predict_proba(X)
    assert P.shape == (2, len(model.classes_))
    assert ((P >= 0) & (P <= 1)).all()
    pred = model.predict(X)
    assert set(np.unique(pred)) <= {-1, 0, 1}
    j = list(model.classes_).index("ENV.INS.LINKAGE")
    assert pred[0, j] == 1 and P[0, j] > P[1, j]
    assert (pred[1] == 0).all()
    # deterministic
    assert (model.predict(X) == pred).all()


def test_groups_must_match(codebook):
    with pytest.raises(ValueError, match="one label per passage"):
        CodeClassifier(codebook.path).fit(["部门之间缺乏信任。", "信息共享。"], np.zeros((2, len(codebook.codes)), dtype=int), groups=["a"])


def test_best_threshold_pair_maximises_f1():
    from textqca.autocode.model import _best_threshold_pair

    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.25).astype(int)
    ruled = rng.random(400) < 0.4
    p = np.clip(0.45 * y + 0.5 * rng.random(400) + 0.1 * ruled, 0, 1)
    t_no, t_ru = _best_threshold_pair(p, y, ruled)

    def f1(a, b):
        pred = np.where(ruled, p >= b, p >= a)
        return 2 * np.sum(pred & (y == 1)) / (pred.sum() + y.sum())

    best = f1(t_no, t_ru)
    assert all(best >= f1(a, b) - 1e-12 for a in np.arange(0.1, 0.91, 0.1) for b in np.arange(0.1, 0.91, 0.1))


def test_thresholds_are_cross_validated(trained):
    model, *_ = trained
    fitted = model.fitted_codes_
    assert ((model.thresholds_[fitted] >= 0.1) & (model.thresholds_[fitted] <= 0.9)).all()
    for code, s in model.cv_scores_.items():
        if not code.startswith("_") and s.get("model"):
            assert 0 <= s["cv_f1"] <= 1


def test_calibration_is_monotone(trained):
    model, *_ = trained
    a = model.platt_[model.fitted_codes_, 0]
    assert (a > 0).all()


def test_persistence_round_trip_and_tamper_check(trained, codebook, tmp_path):
    model, ids, texts, Y = trained
    d = save_model(model, tmp_path / "m", training={"n_passages": len(ids), "sha256": "x"})
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["codebook"]["version"] == codebook.version
    assert manifest["codebook"]["sha256"] == codebook.sha256
    assert manifest["training"]["sha256"] == "x"
    assert not list(d.glob("*.pkl")) and not list(d.glob("*.joblib"))
    loaded = load_model(d, codebook=codebook)
    sample = texts[:40]
    assert np.allclose(loaded.predict_proba(sample), model.predict_proba(sample), atol=1e-5)
    # any change to a file is caught before loading
    arr = d / "arrays.npz"
    arr.write_bytes(arr.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(CodingError, match=r"arrays\.npz is missing or does not match the hash"):
        load_model(d, codebook=codebook)


def test_load_model_with_other_codes(trained, tmp_path, repo_dir):
    import yaml

    from textqca.codebook import load_codebook

    model, *_ = trained
    d = save_model(model, tmp_path / "m")
    data = yaml.safe_load((repo_dir / "codebook" / "framework.yaml").read_text(encoding="utf-8"))
    data["codes"] = data["codes"][:5]
    p = tmp_path / "small.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CodingError, match="trained for codes"):
        load_model(d, codebook=load_codebook(p))
    with pytest.raises(CodingError, match="not a textqca model directory"):
        load_model(tmp_path, codebook=load_codebook(p))


def test_saving_a_model_never_replaces_a_folder_of_other_files(trained, tmp_path):
    """`textqca train ... -o codebook/annotations` by mistake must not delete human coding."""
    model, *_ = trained
    human = tmp_path / "annotations"
    human.mkdir()
    (human / "LX.csv").write_text("passage_id,code,polarity\nLX:1,PRO.INFO,1\n", encoding="utf-8")
    with pytest.raises(CodingError, match="annotations: exists and is not a textqca model folder"):
        save_model(model, human)
    assert [p.name for p in human.iterdir()] == ["LX.csv"]
    d = save_model(model, tmp_path / "m")
    (tmp_path / "m.old").mkdir()  # a neighbour's folder is not used as scratch space
    (tmp_path / "m.old" / "keep.txt").write_text("x", encoding="utf-8")
    assert save_model(model, d) == d and (d / "manifest.json").is_file()  # a model folder is replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations", "m", "m.old"]
    assert (tmp_path / "m.old" / "keep.txt").is_file()


def test_polarity_model_learns_from_deficient_examples(codebook):
    """With enough -1 examples the polarity model is trained and used."""
    pos = ["县里建立了联席会议制度，由扶贫办牵头。", "各部门密切配合，开展联合执法。", "数据共享平台实现了互联互通。",
           "驻村干部把贫困户信息提供给信用社。", "县委书记亲自挂帅协调。", "纳入年度考核。"]
    neg = ["一直没有牵头部门，职责不清。", "各部门互相推诿，没人管。", "系统互不联通，信息孤岛。",
           "公安不告诉我们，信息不共享。", "领导不重视，没人过问。", "考核里不算分。"]
    texts = [t + s for t in pos + neg for s in ("", "这是访谈中说的。", "情况就是这样。")]
    codes = ["ENV.INS.LINKAGE", "PRO.JOINT", "ENV.TEC.PLATFORM", "PRO.INFO", "MOT.LEAD", "MOT.INCENT"] * 2
    Y = np.zeros((len(texts), len(codebook.codes)), dtype=int)
    for i, t in enumerate(texts):
        k = i // 3
        Y[i, codebook.code_ids.index(codes[k])] = 1 if k < 6 else -1
    m = CodeClassifier(codebook.path, cv=3, min_positives=3).fit(texts, Y)
    assert m.cv_scores_["_polarity"]["n_negative"] == 18
    pred = m.predict(["各部门互相推诿扯皮。", "各部门密切配合。"])
    j = codebook.code_ids.index("PRO.JOINT")
    assert pred[0, j] == -1 and pred[1, j] == 1


def test_threshold_shrink_moves_thresholds_toward_the_global_pair(trained, codebook):
    from sklearn.base import clone

    model, ids, texts, Y = trained
    from textqca.autocode import _doc_of

    m = clone(model).set_params(threshold_shrink=1.0).fit(texts, Y, groups=[_doc_of(i) for i in ids])
    fit = m.fitted_codes_
    g = m.global_thresholds_
    assert np.allclose(m.thresholds_[fit], g[None, :])
    assert 0.1 <= g.min() and g.max() <= 0.9
    assert m.cv_scores_["_thresholds"]["shrink"] == 1.0
    # the default keeps each code's own thresholds
    assert model.threshold_shrink == 0.0 and not hasattr(model, "global_thresholds_")
