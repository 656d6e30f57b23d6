"""The clause library and catalogues under clauses/, loaded once per process."""
from functools import lru_cache

from .catalogues import CLAUSES_DIR, Catalogues, load_catalogues


@lru_cache(maxsize=1)
def get_catalogues() -> Catalogues:
    return load_catalogues(CLAUSES_DIR)


__all__ = ["CLAUSES_DIR", "Catalogues", "get_catalogues", "load_catalogues"]
