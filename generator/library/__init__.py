"""The clause library and catalogues under clauses/, loaded once per process."""
from functools import lru_cache

from .catalogues import CLAUSES_DIR, Catalogues, load_catalogues
from .clauses import Library, LibraryLoadError, load_complete_library, load_library


@lru_cache(maxsize=1)
def get_catalogues() -> Catalogues:
    return load_catalogues(CLAUSES_DIR)


@lru_cache(maxsize=1)
def get_library() -> Library:
    return load_complete_library(CLAUSES_DIR)


__all__ = ["CLAUSES_DIR", "Catalogues", "Library", "LibraryLoadError", "get_catalogues", "get_library", "load_catalogues", "load_library"]
