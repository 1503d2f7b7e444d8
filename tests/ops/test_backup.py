"""`partnerpost backup` then `partnerpost restore` round-trip: the demo, a sent edition and an upload.

The backup is made in this process from the test database; the restore runs the real command in a
separate process against a new, empty database (a SQLite file, or a new PostgreSQL database), and every
table is compared row by row.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from partnerpost.audience.models import Subscriber
from partnerpost.content.models import Item
from partnerpost.mailing.models import Delivery
from partnerpost.mailing.outbox import send_edition
from partnerpost.mailing.worker import Worker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(transactional_db, smtp, settings):
    """The demo, plus an edition sent to three subscribers, plus one uploaded file (committed: pg_dump sees it)."""
    from partnerpost.content import demo
    from partnerpost.editions import demo as edition_demo
    from partnerpost.network.models import User

    demo.load(log=lambda *_: None)
    edition = edition_demo.load(log=lambda *_: None)
    for i in range(3):
        Subscriber.objects.create(email=f"reader{i}@example.org", status="confirmed", language=["en", "fr", "es"][i])
    send_edition(User.objects.get(username="editor"), edition)
    Worker(connections=1).run(until_idle=True)
    readers = sorted(to[0] for to, _message in smtp.messages if to[0].startswith("reader"))
    assert Delivery.objects.filter(status="sent").count() == 3
    assert readers == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
    default_storage.save("uploads/2020/report.txt", ContentFile("Annual report of the network\n".encode()))
    return edition


def _rows(cursor, vendor: str, table: str) -> list:
    quoted = f'"{table}"'
    if vendor == "postgresql":  # the row as PostgreSQL prints it: the same whichever driver reads it
        cursor.execute(f"SELECT t::text FROM {quoted} AS t")
        return sorted(row[0] for row in cursor.fetchall())
    cursor.execute(f"SELECT * FROM {quoted}")
    return sorted(repr(row) for row in cursor.fetchall())


def _source_tables() -> dict[str, list]:
    if connection.vendor == "sqlite":  # read a plain copy: Django's connection turns dates into objects
        connection.ensure_connection()
        plain = sqlite3.connect(":memory:")
        connection.connection.backup(plain)
        cursor = plain.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {name: _rows(cursor, "sqlite", name) for (name,) in cursor.fetchall()}
    with connection.cursor() as cursor:
        return {table: _rows(cursor, connection.vendor, table) for table in connection.introspection.table_names()}


def _restore_in_new_process(archive: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, dict, object]:
    """Run `partnerpost restore` against a new, empty database; return the result, its tables and the target."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEDIA_ROOT": str(tmp_path / "restored-media"),
           "PARTNERPOST_VAR_DIR": str(tmp_path / "var")}
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{target}"
    else:
        import psycopg

        db = connection.settings_dict
        target = f"{db['NAME']}_restored"
        admin = psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
                                dbname="postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}"')
        admin.close()
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{target}"
    done = subprocess.run([sys.executable, "-m", "partnerpost", "restore", str(archive)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    if connection.vendor == "sqlite":
        restored = sqlite3.connect(target)
        cursor = restored.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = {name: _rows(cursor, "sqlite", name) for (name,) in cursor.fetchall()}
        restored.close()
    else:
        import psycopg

        db = connection.settings_dict
        with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
                             dbname=target) as restored, restored.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            names = [name for (name,) in cursor.fetchall()]
            tables = {name: _rows(cursor, "postgresql", name) for name in names}
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            tables["(sequences)"] = sorted(cursor.fetchall())
    return done, tables, target


def test_backup_then_restore_round_trips_every_table(site, tmp_path, settings):
    archive = tmp_path / "partnerpost-backup.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    # The uploaded report and the pictures the demo draws (partner badges, item images, a masthead).
    media = sorted(str(path.relative_to(settings.MEDIA_ROOT)) for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())
    assert "uploads/2020/report.txt" in media and len(media) > 1
    assert out.getvalue().splitlines()[-1] == f"Backup written to {archive}: the database and {len(media)} media file(s)."

    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    database_file = "database/partnerpost.sqlite3" if connection.vendor == "sqlite" else "database/partnerpost.pgdump"
    assert names[:2] == ["manifest.json", database_file] and sorted(names[2:]) == [f"media/{name}" for name in media]
    assert manifest["engine"] == connection.vendor and manifest["format"] == 1 and manifest["media"] == "included"
    assert manifest["files"]["media/uploads/2020/report.txt"] == {
        "sha256": hashlib.sha256(b"Annual report of the network\n").hexdigest(),
        "size": 29}
    assert manifest["migrations"]["mailing"] == max(
        p.stem for p in (ROOT / "partnerpost/mailing/migrations").glob("0*.py"))

    source = _source_tables()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            source["(sequences)"] = sorted(cursor.fetchall())
    done, restored, _target = _restore_in_new_process(archive, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"{len(media)} media file(s) restored into {tmp_path / 'restored-media'}."

    assert sorted(restored) == sorted(source)
    for table, rows in source.items():
        assert restored[table] == rows, table
    assert len(source["mailing_delivery"]) == 3 and len(source["content_item"]) == Item.objects.count() > 10
    assert (tmp_path / "restored-media/uploads/2020/report.txt").read_bytes() == b"Annual report of the network\n"
    for name in media:
        assert (tmp_path / "restored-media" / name).read_bytes() == (Path(settings.MEDIA_ROOT) / name).read_bytes(), name


def test_restore_refuses_a_database_that_is_not_empty(site, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    items = Item.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    message = str(refused.value)
    assert message.startswith(f"The database {connection.settings_dict['NAME']} is not empty: it has ")
    assert message.endswith("A backup is restored only into an empty database, so that nothing stored there is "
                            "overwritten or mixed with the backup. Create a new, empty database, point DATABASE_URL "
                            "at it and run restore again. Nothing was changed.")
    assert Item.objects.count() == items


def test_restore_refuses_a_damaged_archive_naming_the_file(site, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/uploads/2020/report.txt":
                data = data.replace(b"Annual", b"Altered")
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match=r"^media/uploads/2020/report.txt does not match its checksum in the "
                                           r"manifest: the archive is damaged.$"):
        call_command("restore", str(damaged), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"has no manifest.json: it is not a Partnerpost backup.$"):
        plain = tmp_path / "plain.tar.gz"
        with tarfile.open(plain, "w:gz") as other:
            other.add(__file__, arcname="notes.txt")
        call_command("restore", str(plain), stdout=io.StringIO())


def test_backup_never_overwrites_an_existing_file(db, tmp_path):
    existing = tmp_path / "old.tar.gz"
    existing.write_bytes(b"previous backup")
    with pytest.raises(CommandError, match=r"old.tar.gz already exists; give a new file name \(nothing was written\).$"):
        call_command("backup", str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"previous backup"


@pytest.mark.parametrize("hostile, kind", [
    ("../outside.txt", "file"), ("/tmp/absolute.txt", "file"), ("media/../../escape.txt", "file"),
    ("media/link", "symlink"), ("media/hard", "hardlink"),
])
def test_restore_refuses_hostile_members_before_unpacking_anything(db, tmp_path, hostile, kind, monkeypatch):
    """Checked by the project itself, so that a Python without tarfile's extraction filters (3.11.0 to 3.11.3,
    such as Debian 12's 3.11.2) is just as safe."""
    archive = tmp_path / "hostile.tar.gz"
    with tarfile.open(archive, "w:gz") as out:
        manifest = json.dumps({"format": 1, "files": {}}).encode()
        out.addfile(_member("manifest.json", len(manifest)), io.BytesIO(manifest))
        member = _member(hostile, 4)
        if kind == "symlink":
            member.type, member.linkname, member.size = tarfile.SYMTYPE, "/etc/passwd", 0
        elif kind == "hardlink":
            member.type, member.linkname, member.size = tarfile.LNKTYPE, "manifest.json", 0
        out.addfile(member, io.BytesIO(b"evil") if kind == "file" else None)
    for filters in (True, False):
        if not filters:  # as on a Python without extraction filters
            monkeypatch.delattr(tarfile, "data_filter", raising=False)
        with pytest.raises(CommandError, match=rf"holds '{hostile}', .*: refused, nothing restored.$"):
            call_command("restore", str(archive), stdout=io.StringIO())
    assert not (tmp_path.parent / "outside.txt").exists() and not Path("/tmp/absolute.txt").exists()


def _member(name, size):
    member = tarfile.TarInfo(name)
    member.size = size
    return member
