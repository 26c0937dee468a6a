"""Media on S3: with AWS_STORAGE_BUCKET_NAME set, Django's storage API writes to and reads
from a real S3-compatible server (moto in server mode, on loopback)."""

import subprocess
import sys

from tests.test_settings import PROJECT, clean_environment

SAVE_AND_READ = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("lessons/讲义.txt", ContentFile("书法入门第一课".encode()))
with default_storage.open(name) as handle:
    print(type(default_storage._wrapped).__name__, name, handle.read().decode(), sep="|")
"""


def test_media_saved_through_django_storage_lands_in_the_bucket(s3_server):
    endpoint, client = s3_server
    result = subprocess.run(
        [sys.executable, "-c", SAVE_AND_READ],
        cwd=PROJECT,
        env=clean_environment(
            AWS_STORAGE_BUCKET_NAME="junxiu-media",
            AWS_S3_ENDPOINT_URL=endpoint,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_S3_REGION_NAME="us-east-1",
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    backend, name, text = result.stdout.strip().splitlines()[-1].split("|")
    assert backend == "S3Storage"
    assert text == "书法入门第一课"
    stored = client.get_object(Bucket="junxiu-media", Key=name)["Body"].read()
    assert stored.decode() == "书法入门第一课"
