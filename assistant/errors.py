"""One shallow exception tree; each error is shown to a user as one line."""


class PiaError(Exception):
    """Base class: anything pia reports to a user as a one-line message."""


class InputError(PiaError):
    """An input file cannot be read as an assessment (empty, binary, too large, not a 評価書...)."""


class StoreError(PiaError):
    """The index directory or its SQLite store is missing, locked or of another schema version."""


class IndexMismatchError(PiaError):
    """The vector or keyword index was built with another model or version than the one asked for."""


class EmbedderError(PiaError):
    """An embedding model cannot be loaded (missing package, missing directory)."""


class DataFileError(PiaError):
    """A lexicon or form-schema data file is malformed."""


class QuestionSetError(PiaError):
    """A question-set file does not follow QUESTION_FORMAT."""
