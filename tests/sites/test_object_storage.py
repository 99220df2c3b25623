"""Images and documents in S3-compatible object storage (config/storage.py), against a real
S3 protocol server (moto_server, tests/clients/s3) read over plain HTTP, as a browser would.

Skipped only when the server's venv is missing; ``python3 dev.py test`` makes it.
"""

import io
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import CollectionViewRestriction

from config.storage import RENDITIONS_PREFIX, object_storage
from tests.clients.s3 import server

BUCKET = "selbsthilfe-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "platform", "AWS_SECRET_ACCESS_KEY": "platform-secret"}


def anonymous_get(url):
    """``(status, body)`` of a GET without credentials, as a browser would do it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_without_a_bucket_media_stay_on_the_local_disk():
    assert object_storage({}) is None
    assert object_storage({"S3_BUCKET": "  "}) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"S3_SIGNED_URL_SECONDS": "fünf"},
        {"S3_SIGNED_URL_SECONDS": "3"},
        {"S3_PUBLIC_URL": "ftp://media.example"},
        {"S3_ADDRESSING_STYLE": "sideways"},
    ],
)
def test_a_wrong_storage_setting_is_refused_with_a_message(bad):
    with pytest.raises(ImproperlyConfigured):
        object_storage({"S3_BUCKET": BUCKET, **bad})


def test_the_production_settings_put_media_in_the_bucket_and_allow_its_images():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "S3_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="pankow.example",
        DEFAULT_FROM_EMAIL="noreply@example.org",
        WAGTAILADMIN_BASE_URL="https://www.example.org",
        S3_BUCKET=BUCKET,
        S3_PUBLIC_URL="https://media.example.org/selbsthilfe-media",
    )
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['default']['BACKEND'], s.STORAGES['renditions']['OPTIONS']"
        "['custom_domain'], s.WAGTAILDOCS_SERVE_METHOD, "
        "'https://media.example.org' in s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']); "
        "from wagtail.images.models import Rendition; "
        "print(Rendition._meta.get_field('file').storage.location)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [
        "storages.backends.s3.S3Storage",
        "media.example.org/selbsthilfe-media",
        "redirect",
        "True",
        RENDITIONS_PREFIX,
    ]


@pytest.fixture(scope="module")
def s3_endpoint():
    if not server.available():
        pytest.skip("the S3 server venv is missing (python3 dev.py test makes it)")
    with server.running() as endpoint:
        yield endpoint


@pytest.fixture
def bucket_storage(s3_endpoint, monkeypatch):
    """The settings production derives from ``S3_*``, pointed at the local server, with the
    bucket created as an operator would (private: no public ACL on the bucket)."""
    import boto3

    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-central-1")
    existing = {b["Name"] for b in client.list_buckets()["Buckets"]}
    if BUCKET not in existing:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
    media = object_storage({"S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_endpoint})
    with override_settings(STORAGES={**settings.STORAGES, **media.storages}, **media.settings):
        # Django resolves a field's callable storage once, when the model class is made:
        # production loads its settings before that (see the settings test above); here the
        # rendition field gets the storage Wagtail's callable returns now, and back after.
        from wagtail.images import get_image_model
        from wagtail.images.models import get_rendition_storage

        field = get_image_model().get_rendition_model()._meta.get_field("file")
        before = field.storage
        field.storage = get_rendition_storage()
        try:
            yield s3_endpoint
        finally:
            field.storage = before


def test_an_image_original_is_private_and_its_rendition_public(offices, bucket_storage):
    from wagtail.images import get_image_model

    image = get_image_model().objects.create(
        title="Gruppenraum",
        file=get_test_image_file(colour="steelblue", size=(640, 400)),
        collection=offices["alpha"].collection,
    )
    original = f"{bucket_storage}/{BUCKET}/private/{image.file.name}"
    status, _body = anonymous_get(original)
    assert status == 403  # the bucket knows nobody who only has the address

    signed_status, signed_body = anonymous_get(image.file.url)  # the admin's signed link
    assert signed_status == 200 and signed_body[:8] == b"\x89PNG\r\n\x1a\n"

    rendition = image.get_rendition("fill-200x100")
    assert rendition.url.startswith(f"{bucket_storage}/{BUCKET}/{RENDITIONS_PREFIX}/")
    assert "Signature" not in rendition.url and "X-Amz" not in rendition.url  # cacheable
    status, body = anonymous_get(rendition.url)
    assert status == 200
    from PIL import Image as Pillow

    assert Pillow.open(io.BytesIO(body)).size == (200, 100)


def test_a_document_is_served_after_the_privacy_check_by_a_signed_redirect(
    offices, bucket_storage, visitor
):
    document = get_document_model().objects.create(
        title="Flyer",
        file=ContentFile(b"%PDF-1.4 Flyer der Kontaktstelle", name="flyer.pdf"),
        collection=offices["alpha"].collection,
    )
    status, _body = anonymous_get(f"{bucket_storage}/{BUCKET}/private/{document.file.name}")
    assert status == 403

    response = visitor.get(document.url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{bucket_storage}/{BUCKET}/private/") and "Signature" in location
    status, body = anonymous_get(location)
    assert status == 200 and body == b"%PDF-1.4 Flyer der Kontaktstelle"


def test_a_document_in_a_private_collection_gives_no_signed_link_to_a_visitor(
    offices, bucket_storage, visitor
):
    from wagtail.models import Collection

    parent = offices["alpha"].collection
    internal = parent.add_child(name="Intern (Alpha)")
    restriction = CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model().objects.create(
        title="Protokoll",
        file=ContentFile(b"vertraulich", name="protokoll.txt"),
        collection=internal,
    )
    response = visitor.get(document.url)
    assert response.status_code == 302
    assert BUCKET not in response["Location"] and "Signature" not in response["Location"]
    assert "/login" in response["Location"] or "/admin/login" in response["Location"]
    status, _body = anonymous_get(f"{bucket_storage}/{BUCKET}/private/{document.file.name}")
    assert status == 403
    restriction.delete()
    Collection.objects.filter(pk=internal.pk).delete()
