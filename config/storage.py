"""Where uploaded images and documents live: the local disk, or S3-compatible object storage.

The embedded default keeps media on the local disk (``MEDIA_ROOT``). An installation with
more than one application server needs one store that every server reads and writes: set
``S3_BUCKET`` (and the credentials in boto's usual ``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY``) and media go to S3-compatible object storage through
django-storages. The bucket itself stays private; two storages divide it:

- ``default`` (prefix ``private/``): originals of images and every document. Nothing there has
  a public URL. Documents are linked as ``/documents/<id>/<name>``; Wagtail's serve view
  checks the collection's privacy first and only then redirects to a presigned URL that
  expires after ``S3_SIGNED_URL_SECONDS``. A private document's object is unreadable to
  anyone who only knows the bucket.
- ``renditions`` (prefix ``public/renditions/``): the resized images that pages show. They are
  public by nature and must be cacheable, so their URLs carry no signature: the objects are
  written ``public-read`` (``S3_PUBLIC_ACL``; empty for stores that grant reading the prefix
  through a bucket policy instead), optionally served through ``S3_PUBLIC_URL`` (a CDN or
  the caching proxy in front of the bucket).

The public origin of the renditions is added to the Content-Security-Policy's ``img-src``.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKEND = "storages.backends.s3.S3Storage"
PRIVATE_PREFIX = "private"
RENDITIONS_PREFIX = "public/renditions"


@dataclass
class ObjectStorage:
    """What the settings need to put media into object storage."""

    storages: dict
    #: Origin (``scheme://host[:port]``) that serves the public renditions, for the CSP.
    public_origin: str
    settings: dict = field(default_factory=dict)


def object_storage(environ):
    """The object-storage configuration the environment asks for, or ``None`` for the disk."""
    bucket = environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return None
    endpoint = environ.get("S3_ENDPOINT_URL", "").strip() or None
    region = environ.get("S3_REGION", "eu-central-1").strip()
    addressing = environ.get("S3_ADDRESSING_STYLE", "path" if endpoint else "virtual").strip()
    if addressing not in ("path", "virtual"):
        raise ImproperlyConfigured("S3_ADDRESSING_STYLE must be 'path' or 'virtual'.")
    try:
        expire = int(environ.get("S3_SIGNED_URL_SECONDS", "300"))
    except ValueError as error:
        raise ImproperlyConfigured("S3_SIGNED_URL_SECONDS must be a number of seconds.") from error
    if not 10 <= expire <= 7 * 24 * 3600:
        raise ImproperlyConfigured("S3_SIGNED_URL_SECONDS must lie between 10 s and 7 days.")
    public_url = environ.get("S3_PUBLIC_URL", "").strip().rstrip("/")
    public_acl = environ.get("S3_PUBLIC_ACL", "public-read").strip() or None

    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": region,
        "addressing_style": addressing,
        "signature_version": "s3v4",
        # Two uploads of "flyer.pdf" must not overwrite each other.
        "file_overwrite": False,
    }
    private = {
        **common,
        "location": PRIVATE_PREFIX,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": expire,
    }
    public = {
        **common,
        "location": RENDITIONS_PREFIX,
        "default_acl": public_acl,
        "querystring_auth": False,
        # Renditions never change under their name: let browsers and proxies keep them.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured("S3_PUBLIC_URL must be an http(s) URL.")
        public["custom_domain"] = parts.netloc + parts.path
        public["url_protocol"] = parts.scheme + ":"
        origin = f"{parts.scheme}://{parts.netloc}"
    elif endpoint:
        parts = urlsplit(endpoint)
        origin = f"{parts.scheme}://{parts.netloc}"
        if addressing == "virtual":
            origin = f"{parts.scheme}://{bucket}.{parts.netloc}"
    else:
        origin = f"https://{bucket}.s3.{region}.amazonaws.com"
    return ObjectStorage(
        storages={
            "default": {"BACKEND": BACKEND, "OPTIONS": private},
            "renditions": {"BACKEND": BACKEND, "OPTIONS": public},
        },
        public_origin=origin,
        settings={
            "WAGTAILIMAGES_RENDITION_STORAGE": "renditions",
            # The serve view checks privacy, then redirects to the presigned URL.
            "WAGTAILDOCS_SERVE_METHOD": "redirect",
        },
    )
