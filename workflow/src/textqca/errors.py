"""The one exception tree of textqca.

Every error a user can cause (bad input file, bad config, bad codebook, bad spec)
raises a subclass of :class:`TextQCAError` whose ``str()`` is a single line that
names the file (and line or field where known) and says what to do.  The CLI and
the Snakemake adapters print that line and exit 1; they never show a traceback
for these errors.  Anything else escaping is a bug in textqca.
"""

from __future__ import annotations

__all__ = [
    "TextQCAError",
    "ConfigError",
    "CorpusError",
    "CodebookError",
    "AnnotationError",
    "CodingError",
    "CalibrationError",
    "QCAError",
    "ReportError",
]


class TextQCAError(Exception):
    """Base class: a problem with the user's input, reported in one line."""

    def __init__(self, message: str, *, path: object | None = None, where: str | None = None):
        self.path = None if path is None else str(path)
        self.where = where
        prefix = ""
        if self.path:
            prefix = self.path + (f":{where}" if where else "") + ": "
        elif where:
            prefix = where + ": "
        # keep it one line whatever the message
        super().__init__(prefix + " ".join(str(message).split()))


class ConfigError(TextQCAError):
    """config/config.yaml or another config sheet is invalid."""


class CorpusError(TextQCAError):
    """A corpus file, the manifest or the case table cannot be read as given."""


class CodebookError(TextQCAError):
    """The codebook (YAML or REFI-QDA .qdc) is invalid."""


class AnnotationError(TextQCAError):
    """A human coding (annotation) file is invalid or points at unknown passages/codes."""


class CodingError(TextQCAError):
    """Auto-coding cannot proceed (bad passages table, bad model directory)."""


class CalibrationError(TextQCAError):
    """Calibration anchors, thresholds or overrides are invalid."""


class QCAError(TextQCAError):
    """A QCA analysis cannot be run as specified (data, outcome, cut-offs, expectations)."""


class ReportError(TextQCAError):
    """The report cannot be built from the results given."""
