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
    from wagtail.models import Site

    from core.pages import forget_view_restrictions
    from courses.caching import forget_catalog

    forget_catalog()
    forget_view_restrictions()
    Site.clear_site_root_paths_cache()  # Wagtail's key is versioned: a plain delete misses it


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The database as migrated is kept as the base snapshot, to go back to once the demo's
    snapshot is taken (demo_database)."""
    with django_db_blocker.unblock():
        snapshot.take(snapshot.BASE)


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker):
    """The demo site, loaded once per run and only when a test asks for it (browser and fault
    tests, and the few whole-site tests): copied into its snapshot, then the database is put
    back as migrated, so tests that build their own rows never see it."""
    with django_db_blocker.unblock():
        ensure_home_page()
        load_demo_people()
        load_demo_courses(ensure_home_page(), demo_institutions())
        load_demo_notices(demo_institutions())
        snapshot.take()
        snapshot.restore(snapshot.BASE)
    global snapshot_taken
    snapshot_taken = True


snapshot_taken = False


def demo_site_loaded() -> bool:
    return CoursePage.objects.filter(title="书法入门").exists() and NoticePage.objects.exists()


def load_demo_site() -> None:
    """Everything `make run` shows: people, the course catalog and its lessons, notices, put
    back from the demo snapshot (the demo_database fixture takes it)."""
    assert snapshot_taken, "ask for the demo_database fixture first"
    if not demo_site_loaded():
        snapshot.restore()


@pytest.fixture
def committed_demo(demo_database, transactional_db):
    """The demo site committed, for the servers a test starts (other processes) to see."""
    load_demo_site()


@pytest.fixture
def demo_site(demo_database, db):
    load_demo_site()


@pytest.fixture
def demo_people(demo_site):
    """The demo institutions and people (with the rest of the demo site: putting the
    snapshot back is quicker than loading only the people)."""


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


def user(login: str) -> User:
    return User.objects.get(username=login)


@pytest.fixture
def client_as():
    """client_as(user) → a test client logged in as that user (a User a factory made, or a
    demo account's login name in browser and fault tests)."""

    def make(who: User | str) -> Client:
        client = Client()
        client.force_login(who if isinstance(who, User) else user(who))
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
