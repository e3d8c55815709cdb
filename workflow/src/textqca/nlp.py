"""Chinese segmentation set up once per process: jieba with the project's user dictionary.

jieba keeps its user words in the global ``jieba`` module (``nlp.to_disk()`` does not save
them) and caches its main dictionary in ``/tmp/jieba.cache`` shared by every user of the
machine.  :func:`setup_jieba` therefore (1) points ``jieba.dt.tmp_dir`` at a project cache
directory (``.cache/jieba`` of the working directory, or ``$TEXTQCA_CACHE/jieba``), and
(2) adds the words of ``codebook/userdict.txt`` — in every process that segments text.

:func:`make_pipeline` builds the spaCy pipeline of the rule coder: ``spacy.blank("zh")``
with the jieba segmenter and the ``textqca_coder`` component (see
:mod:`textqca.autocode.component`).  :func:`words` segments plain strings for the trained
coder's word features (same jieba, same user dictionary, HMM off for speed and stability).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from textqca.errors import CodebookError

__all__ = ["cache_dir", "setup_jieba", "load_userdict", "words", "make_pipeline"]

_LOADED: set[str] = set()
_READY = False


def cache_dir() -> Path:
    """The project cache directory: ``$TEXTQCA_CACHE`` or ``.cache/textqca`` under the working directory."""
    env = os.environ.get("TEXTQCA_CACHE")
    return Path(env) if env else Path.cwd() / ".cache" / "textqca"


def setup_jieba(userdict: str | os.PathLike | None = None) -> None:
    """Initialise jieba for this process: project cache dir, quiet logging, user dictionary."""
    global _READY
    import jieba

    if not _READY:
        d = cache_dir() / "jieba"
        d.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(d)
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _READY = True
    if userdict is not None:
        load_userdict(userdict)


def load_userdict(path: str | os.PathLike) -> int:
    """Add the words of a jieba user dictionary (``WORD [FREQ [POS]]`` per line, ``#`` comments).

    Loaded once per process and content; returns the number of words added.
    """
    import jieba

    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise CodebookError(f"cannot read the jieba user dictionary ({exc.strerror})", path=p) from None
    key = hashlib.sha1(raw).hexdigest()
    if key in _LOADED:
        return 0
    n = 0
    for lineno, line in enumerate(raw.decode("utf-8-sig", errors="strict").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word = parts[0]
        freq = None
        tag = None
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise CodebookError(f"frequency {parts[1]!r} is not a whole number; write WORD [FREQ [POS]]", path=p, where=str(lineno))
            freq = int(parts[1])
        if len(parts) > 2:
            tag = parts[2]
        jieba.add_word(word, freq, tag)
        n += 1
    _LOADED.add(key)
    return n


def words(texts: Iterable[str]) -> list[list[str]]:
    """jieba words of each text (precise mode, HMM off), whitespace and punctuation dropped."""
    import jieba

    setup_jieba()
    cut = jieba.dt.lcut
    out = []
    for t in texts:
        out.append([w for w in cut(t, HMM=False) if w.strip() and not _is_punct(w)])
    return out


_PUNCT = set("，。；：！？、“”‘’（）《》【】—…·,.;:!?()[]<>\"'-/\\ \t\n")


def _is_punct(w: str) -> bool:
    return len(w) == 1 and w in _PUNCT


def make_pipeline(codebook, *, userdict: str | os.PathLike | None = None):
    """A spaCy ``zh`` pipeline (jieba segmenter) with the ``textqca_coder`` component.

    ``codebook`` is a :class:`~textqca.codebook.Codebook` or a path to one.  The coded
    spans land in ``doc.spans["textqca"]`` with the code id as label; ``span._.polarity``
    and ``span._.evidence`` give the polarity and the clause that carries it.
    """
    import spacy

    from textqca.autocode import component  # noqa: F401  (registers the factory)
    from textqca.codebook import Codebook, default_userdict_path

    setup_jieba(userdict if userdict is not None else default_userdict_path(getattr(codebook, "path", None) or codebook))
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    path = codebook.path if isinstance(codebook, Codebook) else str(codebook)
    nlp.add_pipe("textqca_coder", config={"codebook": path})
    if isinstance(codebook, Codebook):
        nlp.get_pipe("textqca_coder").set_codebook(codebook)
    return nlp
