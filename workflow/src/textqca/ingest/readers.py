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

__all__ = ["read_document", "SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES", "decode_bytes"]

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
    import chardet

    guess = chardet.detect(data[:2_000_000])
    name = (guess.get("encoding") or "").lower()
    conf = guess.get("confidence") or 0.0
    enc = _ALIASES.get(name)
    if enc is None and name.startswith("utf-16"):
        enc = name
    if enc is None or conf < 0.5:
        raise CorpusError(
            f"cannot tell the text encoding (best guess {name or 'none'}, confidence {conf:.2f}); "
            "it may be a binary file; save it as UTF-8 or give `encoding` in the manifest",
            path=path,
        )
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise CorpusError(f"looks like {enc} but does not decode cleanly ({exc}); save it as UTF-8", path=path) from None
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


def _read_pdf(path: Path) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        text = extract_text(str(path))
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"is not a readable PDF ({exc})", path=path) from None
    if not text.strip():
        raise CorpusError("PDF has no text layer (a scan?); run OCR first or supply the text as .txt", path=path)
    return text.replace("\x0c", "\n")


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
    if not text.strip():
        raise CorpusError("file has no text", path=path)
    return text, enc


