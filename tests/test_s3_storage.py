"""Media on S3: with AWS_STORAGE_BUCKET_NAME set, Django's storage API writes to and reads
from a real S3-compatible server (moto in server mode, on loopback)."""

import socket
import subprocess
import sys

import boto3
import pytest
from moto.server import ThreadedMotoServer

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="junxiu-media")
    yield endpoint, client
    server.stop()


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
