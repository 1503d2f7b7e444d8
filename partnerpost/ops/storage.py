"""Uploads in S3-compatible object storage, with links that still go through the site.

django-storages' S3 backend answers `url()` with a link into the bucket (signed, expiring in an hour).
Partnerpost never hands those out: a draft's document must stay behind the permission check of the media
view (`portal/media.py`), and an image in a sent email must not stop loading an hour later. So the link is
the same `/media/NAME` as with the file system, and the media view reads the bytes through the storage.

Only imported when MEDIA_STORAGE=s3 (settings name this class), so django-storages stays optional.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class CheckedS3Storage(S3Storage):
    """S3Storage whose URLs are the site's own media addresses (see the module's docstring)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")

    def reachable(self) -> None:
        """Raise unless the bucket answers to these credentials (for /readyz)."""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)
