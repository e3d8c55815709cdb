"""Read one corpus file into text: .txt/.md (any common Chinese encoding), .docx, .pdf, .html.

The encoding of plain-text files is detected (BOM first, then strict UTF-8, then
``chardet``) and recorded; GBK and GB2312 are read as their superset GB18030.  A file
that cannot be decoded with confidence is an error naming the file -- never a silent
``errors="replace"``.  Empty files, binary files (images, archives, executables renamed
``.txt``) and unknown extensions are errors too.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from textqca.errors import CorpusError

__all__ = ["read_document", "SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES", "decode_bytes", "markdown_to_text"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", None),  # too weak alone; checked with NULs below
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x7fELF", "an executable"),
    (b"MZ", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel file (.doc/.xls): save it as .docx or .txt"),
    (b"RIFF", "a RIFF (audio/image) file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"ID3", "an MP3 audio file"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs", "big5hkscs": "big5hkscs",
            "cp950": "big5hkscs", "hz-gb-2312": "hz", "utf-8": "utf-8", "ascii": "utf-8", "utf-16le": "utf-16-le",
            "utf-16be": "utf-16-be", "utf-16": "utf-16", "utf-32": "utf-32", "cp936": "gb18030", "euc-tw": "euc-tw"}
_CJK_FRIENDLY = {"gb18030", "big5hkscs", "utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"}
# characters of ordinary Chinese text: CJK ideographs and punctuation, full-width forms, ASCII
_USUAL_RE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2010-\u2027\u00b7\x20-\x7e\n\r\t]")
_BAD_CHARS_RE = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")


def _detect_magic(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic) and what:
            return what
    return None


def _plausible(text: str) -> bool:
    if not text:
        return True
    bad = len(_BAD_CHARS_RE.findall(text[:200_000]))
    return bad <= max(2, len(text[:200_000]) // 1000)


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes of ``data`` sit where UTF-16 puts them.

    Chinese UTF-16 without a byte-order mark has NUL bytes only as the high byte of ASCII
    characters (line breaks, digits); ``chardet`` calls such text binary when it is nearly
    all Chinese.  GB18030, Big5 and UTF-8 text never contain NUL bytes.
    """
    if len(data) % 2 or b"\x00" not in data:
        return None
    sample = data[:200_000]
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc, errors="strict")
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        usual = len(_USUAL_RE.findall(text))
        score = usual / len(text)
        if score > best_score:
            best, best_score = enc, score
    if best and best_score >= 0.9:
        try:
            data.decode(best)
        except UnicodeDecodeError:
            return None
        return best
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def decode_bytes(data: bytes, *, path: Path | str, encoding: str | None = None) -> tuple[str, str]:
    """Decode the bytes of a plain-text file; return ``(text, encoding_name)``."""
    if encoding:
        enc = _ALIASES.get(encoding.lower(), encoding)
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError) as exc:
            raise CorpusError(f"cannot decode as {encoding} (given in the manifest): {exc}", path=path) from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise CorpusError(f"has a {enc} byte-order mark but does not decode as {enc}: {exc}", path=path) from None
            return text.lstrip("\ufeff"), enc
    what = _detect_magic(data)
    if what:
        raise CorpusError(f"is {what}, not a text file; convert it to .txt/.docx or give it its real extension", path=path)
    try:
        text = data.decode("utf-8")
        if "\x00" not in text:
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _bomless_utf16(data)
    if utf16:
        return data.decode(utf16), utf16
    import chardet

    guess = chardet.detect(data[:2_000_000])
    name = (guess.get("encoding") or "").lower()
    conf = guess.get("confidence") or 0.0
    enc = _ALIASES.get(name) or (name if name.startswith("utf-16") else None)
    if enc is None and name and conf >= 0.7:  # a non-Chinese text (windows-1252, shift_jis ...)
        try:
            enc = codecs.lookup(name).name
        except LookupError:
            enc = None
    # which Chinese encodings decode the bytes at all: GB18030 text is rarely valid Big5,
    # so a short GB file chardet is unsure about is still told apart with certainty
    strict = [e for e in ("gb18030", "big5hkscs") if _decodes(data, e)]
    if enc is not None and conf >= 0.5 and _decodes(data, enc):
        pass
    elif strict == ["gb18030"] and b"\x00" not in data:
        enc = "gb18030"
    elif enc in strict and conf >= 0.25:
        pass
    else:
        raise CorpusError(
            f"cannot tell the text encoding (best guess {name or 'none'}, confidence {conf:.2f}); "
            "it may be a binary file; save it as UTF-8 or give `encoding` in the manifest",
            path=path,
        )
    text = data.decode(enc)
    if not _plausible(text):
        raise CorpusError("decodes to control characters: it is a binary file, not text", path=path)
    return text, enc


def _read_docx(path: Path) -> str:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise CorpusError(f"is not a readable .docx file ({exc})", path=path) from None
    except Exception as exc:  # a damaged package raises zipfile/lxml errors
        raise CorpusError(f"cannot be read as a .docx file ({type(exc).__name__}: {exc})", path=path) from None
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")))
                    parts.append("\t".join(cells))
    return "\n".join(parts)


def _pdf_lines(path: Path) -> list[list[tuple[float, float, float, float, float, str]]]:
    """Text lines per page as ``(x0, x1, y0, y1, height, text)``, in reading order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    pages = []
    try:
        for page in extract_pages(str(path), laparams=LAParams()):
            lines = []
            for el in page:
                if isinstance(el, LTTextContainer):
                    for ln in el:
                        if isinstance(ln, LTTextLine) and ln.get_text().strip():
                            lines.append((ln.x0, ln.x1, ln.y0, ln.y1, ln.height, ln.get_text().strip()))
            pages.append(lines)
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"is not a readable PDF ({exc})", path=path) from None
    except Exception as exc:  # encrypted or damaged files raise pdfminer's own exception types
        raise CorpusError(f"cannot be read as a PDF ({type(exc).__name__}: {exc}); export it again or save it as .txt", path=path) from None
    return pages


def _read_pdf(path: Path) -> str:
    """Text of a PDF's text layer, with the line wraps of its paragraphs undone.

    A line continues the previous one when the previous line reaches the right margin,
    the line is not indented, not set off by extra vertical space and does not start a
    new unit (speaker label, 第X条, list item).  Running headers/footers (the same line,
    digits aside, on most pages) are dropped; a paragraph broken by a page break is joined.
    """
    from textqca.ingest.normalize import is_structural_start

    pages = _pdf_lines(path)
    if not any(pages):
        raise CorpusError("PDF has no text layer (a scan?); run OCR first or supply the text as .txt", path=path)
    # running headers and footers
    if len(pages) >= 3:
        from collections import Counter

        edge = Counter()
        for lines in pages:
            keys = {re.sub(r"\d+", "#", ln[5]) for ln in lines[:1] + lines[-1:]}
            edge.update(keys)
        running = {k for k, n in edge.items() if n >= max(3, 0.5 * len(pages))}
        pages = [[ln for ln in lines if re.sub(r"\d+", "#", ln[5]) not in running] for lines in pages]
    paragraphs: list[str] = []
    carry = False  # the last line of the previous page runs on
    for lines in pages:
        if not lines:
            continue
        left = min(ln[0] for ln in lines)
        right = max(ln[1] for ln in lines)
        prev = None
        for ln in lines:
            x0, x1, y0, y1, h, text = ln
            indented = x0 > left + 0.8 * h
            if prev is None:
                cont = carry and not indented and not is_structural_start(text, strict_labels=True)
            else:
                gap = prev[2] - y1  # vertical space between the lines
                cont = (
                    prev[1] >= right - 1.5 * prev[4]
                    and not indented
                    and gap < 0.8 * h
                    and not is_structural_start(text, strict_labels=True)
                )
            if cont and paragraphs:
                a = paragraphs[-1]
                sep = " " if a[-1:].isascii() and a[-1:].isalpha() and text[:1].isascii() and text[:1].isalpha() else ""
                paragraphs[-1] = a + sep + text
            else:
                paragraphs.append(text)
            prev = ln
        carry = prev is not None and prev[1] >= right - 1.5 * prev[4]
    return "\n".join(paragraphs)


def _read_html(data: bytes, path: Path) -> tuple[str, str]:
    from lxml import html as lhtml

    text, enc = decode_bytes(data, path=path) if not data.lstrip().startswith(b"<") or b"charset" not in data[:4000].lower() else (None, None)
    if text is None:
        m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4000], re.I)
        enc_name = m.group(1).decode("ascii").lower() if m else "utf-8"
        enc = _ALIASES.get(enc_name, enc_name)
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            text, enc = decode_bytes(data, path=path)
    try:
        tree = lhtml.fromstring(text.encode("utf-8"), parser=lhtml.HTMLParser(encoding="utf-8"))
    except Exception as exc:  # lxml raises several types for junk input
        raise CorpusError(f"is not readable HTML ({exc})", path=path) from None
    for bad in tree.xpath("//script|//style|//nav|//header|//footer|//noscript|//form|//select|//iframe"):
        bad.drop_tree()
    blocks = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "td", "th", "pre", "blockquote"}
    out: list[str] = []

    def walk(el) -> None:  # noqa: ANN001
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in blocks:
            out.append("\n")
        if el.text and tag not in ("script", "style"):
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if tag in ("td", "th"):
            out.append("\t")
        if tag in blocks:
            out.append("\n")

    body = tree.find("body")
    walk(body if body is not None else tree)
    text = "".join(out)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return text, enc or "utf-8"


_MD_RULES = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+"), ""),  # headings
    (re.compile(r"(?m)^[ \t]*#{1,6}[ \t]*$"), ""),
    (re.compile(r"(?m)^[ \t]{0,3}>[ \t]?"), ""),  # block quotes
    (re.compile(r"(?m)^[ \t]*[-*+][ \t]+(?=\S)"), ""),  # bullets
    (re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$"), ""),  # table rules
    (re.compile(r"(?m)^[ \t]*(?:[-*_][ \t]*){3,}$"), ""),  # horizontal rules
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"`([^`]+)`"), r"\1"),  # code
)


def markdown_to_text(text: str) -> str:
    """Plain text of a Markdown file: markup removed, words and line structure kept."""
    for rx, repl in _MD_RULES:
        text = rx.sub(repl, text)
    lines = []
    for line in text.split("\n"):
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = "\t".join(c.strip() for c in line.strip().strip("|").split("|"))
        lines.append(line)
    return "\n".join(lines)


def read_document(path: str | Path, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read a corpus file; return ``(text, encoding)`` (``docx``/``pdf`` for those formats).

    Raises :class:`~textqca.errors.CorpusError` naming the file for a missing, empty,
    binary, undecodable, oversized or unsupported file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CorpusError(
            f"unsupported file type '{suffix or '(no extension)'}'; use one of {', '.join(SUPPORTED_SUFFIXES)}", path=path
        )
    if not path.is_file():
        raise CorpusError("file not found (check the path in the manifest)", path=path)
    size = path.stat().st_size
    if size == 0:
        raise CorpusError("file is empty", path=path)
    if size > max_bytes:
        raise CorpusError(
            f"file is {size / 2**20:.0f} MB, over the {max_bytes / 2**20:.0f} MB limit for one document; "
            "split it into several documents (e.g. one per interview)",
            path=path,
        )
    if suffix == ".docx":
        text, enc = _read_docx(path), "docx"
    elif suffix == ".pdf":
        text, enc = _read_pdf(path), "pdf"
    else:
        data = path.read_bytes()
        if suffix in (".html", ".htm"):
            text, enc = _read_html(data, path)
        else:
            text, enc = decode_bytes(data, path=path, encoding=encoding)
            if suffix == ".md":
                text = markdown_to_text(text)
    if not text.strip():
        raise CorpusError("file has no text", path=path)
    return text, enc


