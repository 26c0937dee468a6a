"""A term of realistic courses with lessons, so the catalog is alive on first run."""

import datetime

from django.utils import timezone
from wagtail.models import Page

from accounts.models import Institution, User

from .generated_media import create_generated_media
from .models import Category, CourseIndexPage, CoursePage, LessonPage, Term
from .workflow import ensure_course_workflow, grant_instructors_their_course

CATEGORIES = [
    "书画",
    "声乐器乐",
    "健康养生",
    "智能手机与网络",
    "文史",
    "太极与运动",
    "摄影",
    "国防与时政",
]

# title, category, summary, weekday, start hour, mode, institution key, instructor, capacity,
# open to other institutions, lessons
DEMO_COURSES = [
    (
        "书法入门",
        "书画",
        "从握笔、坐姿讲起，一笔一画练好楷书基本笔画。",
        2,
        9,
        "blended",
        "first",
        "liushuwen",
        20,
        True,
        ["握笔与坐姿", "横与竖", "撇与捺"],
    ),
    (
        "楷书进阶：欧体临帖",
        "书画",
        "临摹《九成宫醴泉铭》，练结构、练章法，适合学过书法入门的学员。",
        4,
        9,
        "offline",
        "first",
        "liushuwen",
        15,
        False,
        ["欧体的结构特点", "临帖的方法"],
    ),
    (
        "国画花鸟",
        "书画",
        "用笔墨画梅兰竹菊，兼讲书法题款。",
        1,
        14,
        "blended",
        "second",
        "liushuwen",
        20,
        True,
        ["画梅", "画兰"],
    ),
    (
        "老年合唱",
        "声乐器乐",
        "学唱经典军旅歌曲和民歌，练气息、练合声。",
        0,
        9,
        "offline",
        "second",
        "zhouyaqin",
        40,
        True,
        ["发声与气息", "《打靶归来》", "《我和我的祖国》"],
    ),
    (
        "葫芦丝入门",
        "声乐器乐",
        "葫芦丝好上手、音色美，十节课学会吹一首完整的曲子。",
        3,
        15,
        "online",
        "center",
        "zhouyaqin",
        30,
        True,
        ["认识葫芦丝", "吹长音"],
    ),
    (
        "慢病管理与合理用药",
        "健康养生",
        "高血压、糖尿病怎么吃药、怎么吃饭，请医院医生来讲。",
        2,
        15,
        "online",
        "center",
        "zhouyaqin",
        100,
        True,
        ["量血压的正确方法", "药怎么吃才安全"],
    ),
    (
        "智能手机入门",
        "智能手机与网络",
        "学会微信视频、拍照发图、扫码和防范电信诈骗。",
        1,
        9,
        "blended",
        "first",
        "zhouyaqin",
        25,
        True,
        ["开机、充电和音量", "微信视频通话", "识别诈骗电话"],
    ),
    (
        "网上办事一点通",
        "智能手机与网络",
        "在手机上挂号、缴费、查社保，手把手一步一步教。",
        4,
        14,
        "online",
        "center",
        "zhouyaqin",
        60,
        True,
        ["网上挂号", "查社保和医保"],
    ),
    (
        "党史与军史讲座",
        "国防与时政",
        "老同志讲亲历，专家讲党史军史，每月一个专题。",
        3,
        9,
        "blended",
        "center",
        "liushuwen",
        200,
        True,
        ["从南昌起义说起", "抗美援朝"],
    ),
    (
        "二十四式太极拳",
        "太极与运动",
        "动作舒缓，强身健体，适合大多数老同志。",
        0,
        8,
        "offline",
        "station",
        "zhouyaqin",
        30,
        False,
        ["起势与野马分鬃", "白鹤亮翅"],
    ),
    (
        "手机摄影",
        "摄影",
        "用手机拍出好照片：构图、用光和简单修图。",
        5,
        9,
        "online",
        "center",
        "liushuwen",
        50,
        True,
        ["构图三法", "逆光怎么拍"],
    ),
    (
        "唐诗宋词赏读",
        "文史",
        "每次读几首名篇，讲作者、讲背景、讲意境，也一起朗诵。",
        2,
        14,
        "blended",
        "second",
        "liushuwen",
        35,
        True,
        ["李白《静夜思》", "苏轼《水调歌头》"],
    ),
]


def demo_term(today: datetime.date) -> Term:
    year = today.year
    starts_on = datetime.date(year, 9, 1) if today.month >= 7 else datetime.date(year, 3, 1)
    ends_on = datetime.date(year + 1, 1, 20) if today.month >= 7 else datetime.date(year, 7, 10)
    name = f"{year}年{'秋季' if today.month >= 7 else '春季'}学期"
    term, _ = Term.objects.update_or_create(
        name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
    )
    return term


def ensure_catalog(home: Page) -> CourseIndexPage:
    catalog = CourseIndexPage.objects.first()
    if catalog is None:
        catalog = home.add_child(
            instance=CourseIndexPage(
                title="课程中心",
                slug="courses",
                introduction="本学期的课程都在这里。找到喜欢的课，按“报名”就行。",
            )
        )
    ensure_course_workflow(catalog)
    return catalog


def rich_lesson_text(title: str, course_title: str) -> list[tuple[str, str]]:
    return [
        (
            "text",
            f"<p>这是《{course_title}》的一节课：{title}。请先看老师的讲解，再跟着练习。"
            "有不明白的地方，上课时可以举手问老师。</p>",
        )
    ]


def load_demo_courses(
    home: Page, institutions: dict[str, Institution], *, with_media: bool = False
) -> list[CoursePage]:
    """with_media generates a short captioned clip (needs ffmpeg) for one lesson."""
    now = timezone.now()
    term = demo_term(timezone.localdate())
    categories = {}
    for order, name in enumerate(CATEGORIES):
        categories[name], _ = Category.objects.update_or_create(
            name=name, defaults={"sort_order": order}
        )
    catalog = ensure_catalog(home)
    courses = []
    for (
        title,
        category,
        summary,
        weekday,
        hour,
        mode,
        place,
        instructor,
        capacity,
        open_to_others,
        lessons,
    ) in DEMO_COURSES:
        course = CoursePage.objects.filter(title=title).first()
        if course is None:
            course = catalog.add_child(
                instance=CoursePage(
                    title=title,
                    summary=summary,
                    category=categories[category],
                    term=term,
                    weekday=weekday,
                    starts_at=datetime.time(hour, 0),
                    ends_at=datetime.time(hour + 1, 30),
                    mode=mode,
                    institution=institutions[place],
                    location=f"{institutions[place].name} 活动室" if mode != "online" else "",
                    capacity=capacity,
                    enrollment_opens=now - datetime.timedelta(days=30),
                    enrollment_closes=now + datetime.timedelta(days=60),
                    open_to_other_institutions=open_to_others,
                    syllabus=f"<p>{summary}</p><ol>"
                    + "".join(f"<li>{lesson}</li>" for lesson in lessons)
                    + "</ol>",
                )
            )
            course.instructors.set([User.objects.get(username=instructor)])
            course.save()
            grant_instructors_their_course(course)
            for lesson in lessons:
                body = rich_lesson_text(lesson, title)
                if lesson == "微信视频通话" and with_media:
                    media = create_generated_media("微信视频通话示范", seconds=12)
                    body = [("media", {"media": media}), *body]
                course.add_child(instance=LessonPage(title=lesson, body=body))
        courses.append(course)
    return courses
