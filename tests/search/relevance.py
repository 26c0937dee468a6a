"""The relevance set: a generated corpus and the queries a retiree types, each with what must
be in the first five of its kind. Kept as data so that a change to segmentation, pinyin,
synonyms or ranking is measured against the same expectations on SQLite and PostgreSQL."""

from datetime import datetime, timedelta

from django.utils import timezone

from search.registry import Document

# (title, summary, body, category)
COURSES = [
    ("书法入门", "从握笔开始，学写毛笔字", "每周一次，临摹颜体楷书", "书画"),
    ("楷书进阶：欧体临帖", "适合学过书法入门的学员", "欧阳询九成宫临帖", "书画"),
    ("国画花鸟", "水墨花鸟，兼讲书法题款", "梅兰竹菊的画法", "书画"),
    ("老年合唱", "一起唱红歌，练声乐基础", "发声与气息，识简谱", "声乐器乐"),
    ("葫芦丝入门", "吹出第一首曲子", "指法与换气", "声乐器乐"),
    ("二十四式太极拳", "动作舒缓，适合长者", "起势、野马分鬃、白鹤亮翅", "健康养生"),
    ("八段锦", "站着就能练的传统功法", "两手托天理三焦", "健康养生"),
    ("智能手机入门", "学会用微信和家人视频通话", "开机、充电、调大字体", "智能生活"),
    ("网上办事一点通", "少跑腿，在家办", "在手机上挂号、缴水电费、查社保", "智能生活"),
    ("党史与军史讲座", "老战友一起重温历史", "从南昌起义到抗美援朝", "文史"),
    ("广场舞基础", "跟着音乐动起来", "基本步伐和队形", "舞蹈"),
    ("手机摄影", "用手机拍出好照片", "构图、逆光、人像", "智能生活"),
    ("象棋", "象棋开局与残局", "当头炮、屏风马", "棋牌"),
    ("防范电信诈骗", "认清骗子的常见话术", "冒充公检法、保健品推销", "智能生活"),
    ("唐诗宋词赏读", "慢慢读，细细品", "李白、杜甫、苏轼", "文史"),
    ("老干部养生保健讲座", "四季养生和慢病调理", "饮食、睡眠、用药", "健康养生"),
    ("离休干部待遇政策解读", "讲清楚政策和办理流程", "医疗、住房、遗属待遇", "政策"),
]

# (title, course title, body: text, handout titles, transcript)
LESSONS = [
    ("认识葫芦丝", "葫芦丝入门", "葫芦丝的构造和持法"),
    ("起势与野马分鬃", "二十四式太极拳", "太极拳第一组动作，讲义：太极拳动作图解"),
    ("微信视频通话", "智能手机入门", "文字稿：点开微信，找到家人，按视频通话"),
    ("识别诈骗电话", "防范电信诈骗", "接到自称公安的电话先挂断"),
    ("构图三法", "手机摄影", "三分法、对称、引导线"),
    ("握笔与坐姿", "书法入门", "字幕：今天我们学习毛笔的执笔方法，指实掌虚"),
]

# Words that also appear in many other documents' bodies (only there), so that a title match
# has to be ranked above them to be in the first five.
CROWDED = ["书法", "太极拳", "手机", "合唱", "葫芦丝", "八段锦", "党史", "养生", "象棋"]
CROWD_PER_WORD = 20

# (query, [(kind, title expected in the first five of that kind), …])
QUERIES = [
    # exact words
    ("书法", [("course", "书法入门")]),
    ("太极拳", [("course", "二十四式太极拳")]),
    ("八段锦", [("course", "八段锦")]),
    ("葫芦丝", [("course", "葫芦丝入门"), ("lesson", "认识葫芦丝")]),
    ("合唱", [("course", "老年合唱")]),
    ("象棋", [("course", "象棋")]),
    ("党史", [("course", "党史与军史讲座")]),
    ("摄影", [("course", "手机摄影")]),
    ("智能手机", [("course", "智能手机入门")]),
    ("广场舞", [("course", "广场舞基础")]),
    ("唐诗", [("course", "唐诗宋词赏读")]),
    ("老干部", [("course", "老干部养生保健讲座")]),
    ("离休", [("course", "离休干部待遇政策解读")]),
    ("诈骗", [("course", "防范电信诈骗"), ("lesson", "识别诈骗电话")]),
    # words apart, in any order
    ("手机挂号", [("course", "网上办事一点通")]),
    ("在手机上挂号", [("course", "网上办事一点通")]),
    ("党史讲座", [("course", "党史与军史讲座")]),
    ("讲座 党史", [("course", "党史与军史讲座")]),
    ("养生讲座", [("course", "老干部养生保健讲座")]),
    ("太极拳 野马分鬃", [("lesson", "起势与野马分鬃")]),
    ("楷书临帖", [("course", "楷书进阶：欧体临帖")]),
    # body, handouts, captions and transcripts
    ("执笔", [("lesson", "握笔与坐姿")]),
    ("动作图解", [("lesson", "起势与野马分鬃")]),
    ("视频通话", [("course", "智能手机入门"), ("lesson", "微信视频通话")]),
    # pinyin, initials, tones ignored, full-width and capitals
    ("shufa", [("course", "书法入门")]),
    ("shu fa", [("course", "书法入门")]),
    ("sf", [("course", "书法入门")]),
    ("hulusi", [("course", "葫芦丝入门")]),
    ("hls", [("course", "葫芦丝入门")]),
    ("taijiquan", [("course", "二十四式太极拳")]),
    ("baduanjin", [("course", "八段锦")]),
    ("bdj", [("course", "八段锦")]),
    ("hechang", [("course", "老年合唱")]),
    ("xiangqi", [("course", "象棋")]),
    ("ShuFa", [("course", "书法入门")]),
    ("ｓｈｕｆａ", [("course", "书法入门")]),
    ("shuhua", [("course", "书法入门"), ("course", "国画花鸟")]),  # the category 书画
    # everyday words
    ("毛笔字", [("course", "书法入门")]),
    ("唱歌", [("course", "老年合唱")]),
    ("跳舞", [("course", "广场舞基础")]),
    ("手机", [("course", "智能手机入门")]),
    ("下棋", [("course", "象棋")]),
    ("拍照", [("course", "手机摄影")]),
    ("画画", [("course", "国画花鸟")]),
    # traditional characters
    ("書法", [("course", "书法入门")]),
    ("太極拳", [("course", "二十四式太极拳")]),
    ("智能手機", [("course", "智能手机入门")]),
    ("攝影", [("course", "手机摄影")]),
    # one character wrong in a word of four or more
    ("智能手鸡", [("course", "智能手机入门")]),
    ("唐诗宋祠", [("course", "唐诗宋词赏读")]),
    ("电信诈编", [("course", "防范电信诈骗")]),
    ("老干部养身", [("course", "老干部养生保健讲座")]),
]


def corpus() -> list[Document]:
    now = timezone.now()
    documents = []
    for number, (title, summary, body, category) in enumerate(COURSES, start=1):
        documents.append(
            Document(
                kind="course",
                object_id=number,
                url=f"/courses/{number}/",
                title=title,
                summary=summary,
                body=f"{category} {body}",
                keywords=category,
                published_at=now - timedelta(days=number),
            )
        )
    for number, (title, course, body) in enumerate(LESSONS, start=1):
        documents.append(
            Document(
                kind="lesson",
                object_id=number,
                url=f"/lessons/{number}/",
                title=title,
                summary=f"《{course}》的一课",
                body=f"{course} {body}",
                published_at=now - timedelta(days=number),
            )
        )
    number = 1000
    for word in CROWDED:
        for copy in range(CROWD_PER_WORD):
            number += 1
            day: datetime = now - timedelta(hours=copy)
            for kind in ("course", "lesson"):
                documents.append(
                    Document(
                        kind=kind,
                        object_id=number,
                        url=f"/{kind}/{number}/",
                        title=f"第{copy + 1}期活动安排",
                        summary="本期活动的时间和地点",
                        body=f"活动中安排了{word}的交流和展示，欢迎参加。",
                        published_at=day,
                    )
                )
    return documents
