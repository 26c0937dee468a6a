import boto3
import pytest
from django.test import Client
from moto.server import ThreadedMotoServer

from accounts.demo import DEMO_PASSWORD, demo_institutions, load_demo_people
from accounts.models import User
from courses.demo import load_demo_courses
from courses.models import CoursePage
from home.services import ensure_home_page
from notices.demo import load_demo_notices
from notices.models import NoticePage
from tests import snapshot
from tests.servers import free_port


@pytest.fixture(autouse=True)
def fresh_catalog_cache():
    """A cached catalog, site or restriction flag from an earlier test's (rolled back or
    flushed) data must not be served: in this process, and in the servers the tests start
    where they share this cache (Redis; without it they use none, tests/settings.py)."""
    from django.core.cache import cache
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY

    from core.pages import forget_view_restrictions
    from courses.caching import forget_catalog

    forget_catalog()
    forget_view_restrictions()
    cache.delete(SITE_ROOT_PATHS_CACHE_KEY)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo site is loaded once into the test database. Tests inside a transaction (most
    of them) roll back to it; pytest-django runs them before the transactional tests, whose
    flush empties the database, so those load it again (demo_site, demo_people)."""
    with django_db_blocker.unblock():
        load_demo_site()
        snapshot.take()
    global snapshot_taken
    snapshot_taken = True


snapshot_taken = False


def demo_site_loaded() -> bool:
    return CoursePage.objects.filter(title="书法入门").exists() and NoticePage.objects.exists()


@pytest.fixture
def demo_people(db):
    """The demo institutions, people and home page (with the rest of the demo site: putting
    the snapshot back is quicker than loading only the people)."""
    load_demo_site()


def load_demo_site() -> None:
    """Everything `make run` shows: people, the course catalog and its lessons, notices.
    Loaded once per run; after a transactional test's flush, put back from the snapshot."""
    if demo_site_loaded():
        return
    if snapshot_taken:
        snapshot.restore()
        return
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
