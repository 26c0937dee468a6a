"""Study circles in the site's search: those one is in or may ask to join, nothing else, and
not counted either."""

from accounts.demo import demo_institutions
from circles.models import Circle

from .conftest import LEADER, OTHER_INSTITUTE, STATION_RETIREE


def found(client_as, login: str, query: str) -> str:
    html = client_as(login).get("/search/", {"q": query}).content.decode()
    return html[html.index("<main") :].replace("<mark>", "").replace("</mark>", "")


def test_circles_one_is_in_or_may_join_only(chorus, client_as):
    Circle.objects.create(name="象棋角", institution=demo_institutions()["second"])
    assert "合唱爱好者</a>" in found(client_as, LEADER, "合唱")  # its 圈主
    assert "合唱爱好者</a>" in found(client_as, STATION_RETIREE, "合唱")  # may ask to join
    assert "合唱爱好者</a>" not in found(client_as, LEADER, "合唱 象棋")  # every word must match
    # 象棋角 is 第二军休所's: not offered to 第一军休所's retiree, and not counted.
    html = found(client_as, LEADER, "象棋角")
    assert "象棋角</a>" not in html and "个学习圈" not in html
    assert "象棋角</a>" in found(client_as, OTHER_INSTITUTE, "象棋角")
    assert "合唱爱好者</a>" not in found(client_as, OTHER_INSTITUTE, "合唱")
