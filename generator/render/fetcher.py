"""The only way WeasyPrint may load anything while rendering a policy: files under static/.

A policy PDF needs exactly our stylesheet's fonts, so the fetcher serves `hpstatic:<path>` URLs
(a private pseudo-scheme, so no real URL can ever match) from the project's static/ directory and
refuses everything else: file:// anywhere, http(s)://, ftp, data: and any other scheme, paths that
resolve outside static/ (`..`, symlinks), and files of a type we never embed. It opens no socket,
so there is no redirect to follow. A refusal raises; WeasyPrint logs it and renders without the
resource, which keeps a hostile or broken reference from ever reaching the network or the disk.
"""
import logging
import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .common import STATIC_DIR

logger = logging.getLogger(__name__)

# Letters only: Django's manifest storage leaves `scheme:` URLs alone only when the scheme matches
# [a-z]+, so collectstatic does not try to hash these font references in policy/pdf.css.
SCHEME = "hpstatic"
ALLOWED_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".css": "text/css",
    ".png": "image/png",
}
MAX_BYTES = 4 * 1024 * 1024


class FetchRefused(ValueError):
    """A URL the policy renderer will not load."""


def static_url(relative: str) -> str:
    """The URL under which the fetcher serves static/<relative>."""
    return f"{SCHEME}:{relative}"


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher (70's URLFetcher API) confined to one directory."""

    def __init__(self, root: str | Path = STATIC_DIR) -> None:
        super().__init__(timeout=1, allowed_protocols=(SCHEME,), allow_redirects=False)
        self.root = Path(root).resolve()
        self.served: list[Path] = []  # paths served, for tests and debugging

    def resolve(self, url: object) -> Path:
        """The file a URL names, or FetchRefused."""
        if not isinstance(url, str) or not url.startswith(f"{SCHEME}:"):
            raise FetchRefused(f"not a {SCHEME}: URL: {url!r:.200}")
        raw = url[len(SCHEME) + 1:]
        if any(c in raw for c in "?#\\\x00") or any(ord(c) < 32 for c in raw):
            raise FetchRefused(f"unexpected characters in {url!r:.200}")
        relative = PurePosixPath(unquote(raw))
        if relative.is_absolute() or ".." in relative.parts or "\x00" in str(relative) or not relative.parts:
            raise FetchRefused(f"path escapes the static directory: {url!r:.200}")
        suffix = relative.suffix.lower()
        if suffix not in ALLOWED_TYPES:
            raise FetchRefused(f"file type not served: {url!r:.200}")
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"no such static file: {url!r:.200}")
        if path.stat().st_size > MAX_BYTES:
            raise FetchRefused(f"static file too large: {url!r:.200}")
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except FetchRefused:
            logger.warning("PDF renderer refused to fetch %.200r", url)
            raise
        self.served.append(path)
        content_type = ALLOWED_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type}, 200)
