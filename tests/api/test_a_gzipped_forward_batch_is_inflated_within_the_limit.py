"""Masters gzip their batches: the slave inflates them, never beyond the body limit, and refuses a corrupt
or truncated gzip and any other encoding without storing anything."""

import gzip
import json

from tenants.models import Client
from tests.helpers.api import PLATFORM, api_client
from tests.helpers.forwarding import forward_body, link_token


def post(body: bytes, *, encoding: str = "gzip"):
    api = api_client(host=PLATFORM)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {link_token()}")
    return api.generic(
        "POST", "/api/forward", body, content_type="application/json", HTTP_CONTENT_ENCODING=encoding
    )


def test_a_gzipped_batch_is_stored(db):
    response = post(gzip.compress(json.dumps(forward_body(readings=3)).encode()))

    assert response.status_code == 200
    assert response.json() == {"clients": {"padaria": {"status": "stored", "readings": 3}}}


def test_a_gzip_that_inflates_beyond_the_limit_is_a_413(db, settings):
    settings.FORWARD_BODY_MAX_BYTES = 100_000
    bomb = gzip.compress(b" " * 1_000_000 + json.dumps(forward_body()).encode())
    assert len(bomb) < 10_000

    response = post(bomb)

    assert response.status_code == 413
    assert not Client.objects.filter(slug="padaria").exists()


def test_a_corrupt_or_truncated_gzip_is_a_400(db):
    whole = gzip.compress(json.dumps(forward_body()).encode())

    assert post(b"not gzip at all").status_code == 400
    assert post(whole[: len(whole) // 2]).status_code == 400
    assert not Client.objects.filter(slug="padaria").exists()


def test_another_encoding_is_a_415(db):
    assert post(json.dumps(forward_body()).encode(), encoding="br").status_code == 415
