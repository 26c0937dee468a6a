import boto3
import pytest
from django.conf import settings
from django.test import Client
from moto.server import ThreadedMotoServer

from accounts.demo import DEMO_PASSWORD, demo_institutions, load_demo_people
from accounts.models import User
from courses.demo import load_demo_courses
from home.services import ensure_home_page
from notices.demo import load_demo_notices
from tests.servers import free_port


def pytest_configure(config):
    # Fast hashing for the many accounts the tests create. Set before any Daphne process is
    # forked, so that the browser tests' server checks passwords the same way.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_people(db):
    """The demo institutions, people and home page."""
    ensure_home_page()
    load_demo_people()


def load_demo_site() -> None:
    """Everything `make run` shows: people, the course catalog and its lessons, notices."""
    ensure_home_page()
    load_demo_people()
    load_demo_courses(ensure_home_page(), demo_institutions())
    load_demo_notices(demo_institutions())


@pytest.fixture
def demo_site(db):
    load_demo_site()


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


def user(login: str) -> User:
    return User.objects.get(username=login)


@pytest.fixture
def client_as():
    """client_as("jxs1") → a test client logged in as that demo account."""

    def make(login: str) -> Client:
        client = Client()
        client.force_login(user(login))
        return client

    return make


@pytest.fixture
def s3_server():
    """A local S3-compatible server (moto) with the bucket junxiu-media: (endpoint, client)."""
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
