"""Backups: one archive holding a consistent copy of the database, the uploaded files and a manifest.

    partnerpost backup PATH      write the archive (a .tar.gz) to PATH
    partnerpost restore PATH     restore it into an EMPTY database and an empty media folder

The archive holds:
- ``manifest.json``: the format, when and from what engine it was made, the migrations it stands at, and the
  SHA-256 and size of every other file in the archive;
- ``database/partnerpost.sqlite3`` (SQLite's online backup API: a consistent copy taken while the site
  runs), or ``database/partnerpost.pgdump`` (``pg_dump --format=custom``: one snapshot of the whole database,
  also taken while the site runs);
- ``media/...``: the uploaded files, from MEDIA_ROOT.

A restore checks every file against the manifest before it touches anything, and refuses a database that
already holds tables, or a media folder that already holds files: it never overwrites or mixes data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
SQLITE_FILE = "database/partnerpost.sqlite3"
PGDUMP_FILE = "database/partnerpost.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path | None:
    """The folder of uploads, or None when uploads are kept elsewhere (object storage)."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend != "django.core.files.storage.FileSystemStorage":
        return None
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _pg_environment(db: dict) -> dict:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _major(version: str) -> int:
    """14 from "pg_dump (PostgreSQL) 14.11 (Debian ...)"."""
    found = re.search(r"\)\s*(\d+)", version) or re.search(r"(\d+)", version)
    return int(found.group(1)) if found else 0


def _pg_tool(name: str, connection) -> str:
    """The path of pg_dump/pg_restore, refused when it is missing or older than the server."""
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client of the server's version "
                          f"(Debian: apt-get install postgresql-client).")
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    client = _major(version)
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError(f"{name} {client} cannot work with the PostgreSQL {server} server; install the "
                          f"PostgreSQL {server} client tools.")
    return tool


def _applied_migrations(connection) -> dict[str, str]:
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def create_backup(path, *, alias: str = DEFAULT_DB_ALIAS, log=print) -> dict:
    """Write the archive to `path` (which must not exist) and return its manifest."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} already exists; give a new file name (nothing was written).")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    connection = connections[alias]
    connection.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="partnerpost-backup-") as staging_name:
        staging = Path(staging_name)
        (staging / "database").mkdir()
        if connection.vendor == "sqlite":
            database_file = SQLITE_FILE
            destination = sqlite3.connect(staging / SQLITE_FILE)
            try:
                connection.connection.backup(destination)  # the online backup API: a consistent copy
            finally:
                destination.close()
        elif connection.vendor == "postgresql":
            database_file = PGDUMP_FILE
            tool = _pg_tool("pg_dump", connection)
            done = subprocess.run(
                [tool, "--format=custom", "--no-owner", "--no-privileges", f"--file={staging / PGDUMP_FILE}"],
                env=_pg_environment(connection.settings_dict), capture_output=True, text=True)
            if done.returncode:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
        log(f"Database copied ({connection.vendor}).")

        files = {database_file: {"sha256": _sha256(staging / database_file),
                                 "size": (staging / database_file).stat().st_size}}
        root = _media_root()
        media = _media_files(root) if root else []
        for file in media:
            files[f"media/{file.relative_to(root).as_posix()}"] = {"sha256": _sha256(file), "size": file.stat().st_size}
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "database": database_file,
            "media": "included" if root else "external",
            "migrations": _applied_migrations(connection),
            "files": files,
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")

        handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
        os.close(handle)
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(staging / "manifest.json", arcname="manifest.json")
                archive.add(staging / database_file, arcname=database_file)
                for file in media:
                    archive.add(file, arcname=f"media/{file.relative_to(root).as_posix()}")
            os.replace(partial, target)  # the archive appears whole or not at all
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    log(f"Backup written to {target}: the database and {len(media)} media file(s).")
    return manifest


def _checked_members(archive: tarfile.TarFile, path: Path) -> list[tarfile.TarInfo]:
    """The archive's members, refused unless each is a plain file or folder with a relative path that stays
    inside the folder it is unpacked into. A backup never holds links or devices; a hostile archive might."""
    members = archive.getmembers()
    for member in members:
        parts = Path(member.name).parts
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"{path} holds {member.name!r}, which is not a plain file or folder: refused, nothing restored.")
        if member.name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise BackupError(f"{path} holds {member.name!r}, a path outside the archive's folder: refused, nothing restored.")
    return members


def _read_archive(path: Path, into: Path) -> dict:
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    try:
        with tarfile.open(path, "r:*") as archive:
            members = _checked_members(archive, path)
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later: the library's own checks as well
                archive.extractall(into, members=members, filter="data")
            else:  # Debian 12's Python 3.11.2 has no extraction filters: the members were checked above
                archive.extractall(into, members=members)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path} is not a readable backup archive ({exc}).") from None
    try:
        manifest = json.loads((into / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path} has no manifest.json: it is not a Partnerpost backup.") from None
    except ValueError as exc:
        raise BackupError(f"manifest.json in {path} is not valid JSON ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {manifest.get('format')!r}; this version reads format {FORMAT}.")
    for name, expected in manifest["files"].items():
        file = into / name
        if not file.is_file():
            raise BackupError(f"{name} is listed in the manifest but missing from the archive.")
        if file.stat().st_size != expected["size"] or _sha256(file) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum in the manifest: the archive is damaged.")
    return manifest


def restore_backup(path, *, alias: str = DEFAULT_DB_ALIAS, log=print) -> dict:
    """Restore the archive at `path` into the (empty) database and media folder. Returns the manifest."""
    connection = connections[alias]
    with tempfile.TemporaryDirectory(prefix="partnerpost-restore-") as unpacked_name:
        unpacked = Path(unpacked_name)
        manifest = _read_archive(Path(path), unpacked)
        log(f"Archive checked: {len(manifest['files'])} file(s) match the manifest (made {manifest['created_at']}).")

        if manifest["engine"] != connection.vendor:
            raise BackupError(f"This backup is of a {manifest['engine']} database and cannot be restored into "
                              f"{connection.vendor}; point DATABASE_URL at an empty {manifest['engine']} database.")
        tables = connection.introspection.table_names()
        if tables:
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} is not empty: it has {len(tables)} table(s) "
                f"({shown}). A backup is restored only into an empty database, so that nothing stored there is "
                f"overwritten or mixed with the backup. Create a new, empty database, point DATABASE_URL at it "
                f"and run restore again. Nothing was changed.")
        root = _media_root()
        media = sorted(name for name in manifest["files"] if name.startswith("media/"))
        if media and root is None:
            raise BackupError("This backup holds media files, but uploads are configured to live in object "
                              "storage (MEDIA_STORAGE); restore with the file-system storage, or copy unpacked "
                              "media/ into the bucket yourself.")
        if root is not None and _media_files(root):
            raise BackupError(f"The media folder {root} already holds files; restore into an empty MEDIA_ROOT. "
                              f"Nothing was changed.")

        database_file = unpacked / manifest["database"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(database_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            connection.close()
        else:
            tool = _pg_tool("pg_restore", connection)
            connection.close()
            done = subprocess.run(
                [tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 f"--dbname={connection.settings_dict['NAME']}", str(database_file)],
                env=_pg_environment(connection.settings_dict), capture_output=True, text=True)
            if done.returncode:
                raise BackupError(f"pg_restore failed, and rolled back: {done.stderr.strip()}")
        log(f"Database restored ({connection.vendor}).")

        for name in media:
            destination = root / name.removeprefix("media/")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(unpacked / name, destination)
        log(f"{len(media)} media file(s) restored into {root}." if root else "Media are kept outside this archive.")
    return manifest
