"""Static files: fingerprinted by content, precompressed, and cached by browsers for a year.

At app start the files of ``maatjes/static/`` and the Bootstrap CSS and JS that the pages use
(from Bootstrap-Flask's package) are copied into a build folder, where Flask-Static-Digest names
every file after its content (``app-<md5>.css``) and writes gzip and brotli copies beside it.
WhiteNoise serves that folder under ``/static/`` before the request reaches Flask: the
compressed copy the browser accepts, and for a fingerprinted name ``Cache-Control: public,
max-age=31536000, immutable`` (a page's second visit asks for none of its assets again).
``url_for('static', filename='app.css')`` gives the fingerprinted address.

The build runs once per set of sources (the folder is named after their sizes and times): a
fresh clone needs no step by hand, and the test suite's many apps share one build. Popper is
left out: no page uses a dropdown, tooltip or popover.
"""

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from flask import Flask

log = logging.getLogger(__name__)

SOURCE = Path(__file__).resolve().parent / "static"
# Our name in the build -> Bootstrap-Flask's file (only what the pages use: no Popper).
BOOTSTRAP = {
    "bootstrap5/bootstrap.min.css": "bootstrap5/css/bootstrap.min.css",
    "bootstrap5/bootstrap.min.js": "bootstrap5/js/bootstrap.min.js",
}
# A name Flask-Static-Digest made: "-" and 32 hex digits before the extension.
FINGERPRINTED = re.compile(r"-[0-9a-f]{32}\.[^/]+$")
ONE_YEAR = 31536000
# Unfingerprinted names (the icons a web app manifest names) are checked again each time.
PLAIN_MAX_AGE = 0
FORMAT = "1"  # raise when the build changes shape
KEEP_OLD_BUILDS_SECONDS = 24 * 3600


def _bootstrap_static() -> Path:
    import flask_bootstrap

    return Path(flask_bootstrap.__file__).resolve().parent / "static"


def _sources() -> list[tuple[str, Path]]:
    files = [
        (path.relative_to(SOURCE).as_posix(), path)
        for path in sorted(SOURCE.rglob("*"))
        if path.is_file() and not path.name.endswith((".gz", ".br", ".map"))
    ]
    bootstrap = _bootstrap_static()
    files += [(ours, bootstrap / theirs) for ours, theirs in BOOTSTRAP.items()]
    return files


def _signature(files: list[tuple[str, Path]]) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    for name, path in files:
        stat = path.stat()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


def build(root: Path) -> Path:
    """The build folder for the current sources under ``root``, made if missing. Several
    processes starting at once each build in a folder of their own; the first rename wins."""
    from flask_static_digest import digester

    files = _sources()
    final = root / _signature(files)
    if (final / "cache_manifest.json").is_file():
        os.utime(final)  # in use: not an old build to remove
        return final
    root.mkdir(parents=True, exist_ok=True)
    work = root / f".building-{uuid.uuid4().hex}"
    started = time.monotonic()
    try:
        for name, path in files:
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        base = f"{work}{os.sep}"  # the digester joins paths by plain string concatenation
        with contextlib.redirect_stdout(io.StringIO()):  # it prints where the files went
            digester.compile(base, base, [], gzip_files=True, brotli_files=True)
        try:
            work.rename(final)
        except OSError:  # another process finished first
            if not (final / "cache_manifest.json").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("static files built in %.1f s: %s", time.monotonic() - started, final)
    _remove_old_builds(root, keep=final)
    return final


# Builds kept besides the current one: a server of the release before still running during a
# rolling deploy keeps its files (a build is removed only when newer ones exist and it was not
# used for a day).
KEEP_OLD_BUILDS = 3


def _remove_old_builds(root: Path, keep: Path) -> None:
    now = time.time()
    builds = sorted(
        (path for path in root.iterdir() if path.is_dir() and path != keep),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old in builds[KEEP_OLD_BUILDS:]:
        if now - old.stat().st_mtime > KEEP_OLD_BUILDS_SECONDS:
            shutil.rmtree(old, ignore_errors=True)


def _build_root(app: Flask) -> Path:
    """``STATIC_BUILD_DIR``, else the app's instance folder (beside the SQLite file): a folder
    of the app's own, not a shared temporary folder where files age out or another local user
    could put a script of theirs first."""
    configured = app.config.get("STATIC_BUILD_DIR")
    root = Path(configured) if configured else Path(app.instance_path) / "static-build"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = root.lstat()
    if root.is_symlink() or info.st_uid != os.getuid():
        raise OSError(f"{root} is not a folder of this user's own")
    return root


def install(app: Flask) -> None:
    """Serve the built static files with WhiteNoise and fingerprint ``url_for('static')``."""
    from flask_static_digest import FlaskStaticDigest
    from whitenoise import WhiteNoise

    try:
        folder = build(_build_root(app))
    except OSError as error:  # e.g. a read-only folder: a private temporary folder (0700)
        log.warning("static build folder not usable (%s); using a temporary folder", error)
        folder = build(Path(tempfile.mkdtemp(prefix="maatjes-static-")))
    app.static_folder = str(folder)
    digest = FlaskStaticDigest(app)
    manifest: dict[str, str] = digest.manifests.get("static") or json.loads(
        (folder / "cache_manifest.json").read_text()
    )

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])

    class StaticFiles(WhiteNoise):
        FOREVER = ONE_YEAR

    def add_headers(headers, _path, _url) -> None:
        headers["X-Content-Type-Options"] = "nosniff"

    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        root=str(folder),
        prefix="static/",
        max_age=PLAIN_MAX_AGE,
        immutable_file_test=lambda _path, url: bool(FINGERPRINTED.search(url)),
        add_headers_function=add_headers,
        mimetypes={".webmanifest": "application/manifest+json"},
    )
