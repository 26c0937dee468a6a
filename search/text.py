"""Turning Chinese text into words, for the index and for what a retiree types.

The same segmentation (jieba, with the platform's own words from dictionary.txt) runs on both
sides, so a word found in a query is a word in the index. Only letters and digits survive into
a word: nothing a person types can reach the database's query language as syntax."""

import html
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jieba
import zhconv
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from pypinyin import lazy_pinyin

jieba.setLogLevel(logging.WARNING)
HERE = Path(__file__).resolve().parent
QUERY_MAX = 100
TERMS_MAX = 8
# Words that say nothing about what is wanted (在手机上挂号 → 手机 挂号).
STOP_WORDS_TEXT = """的 了 在 和 与 及 上 下 里 中 我 你 他 她 们 要 想 怎么 怎样 如何 什么 是 有
吗 呢 吧 啊 把 被 给 个 这 那 哪 就 也 都 还 从 到 对 请 一下 一些"""
STOP_WORDS = frozenset(STOP_WORDS_TEXT.split())

_lock = threading.Lock()
_added_words: set[str] = set()


@cache
def segmenter() -> jieba.Tokenizer:
    """jieba with the platform's dictionary, loaded once per process."""
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(HERE / "dictionary.txt"))
    for words in repo_synonyms().items():
        for word in (words[0], *words[1]):
            tokenizer.add_word(word, 40)
    return tokenizer


def add_words(words) -> None:
    """Words staff add (synonyms in the admin) are kept whole from now on."""
    new = [word for word in words if word not in _added_words]
    if new:
        with _lock:
            for word in new:
                segmenter().add_word(word, 40)
                _added_words.add(word)


@cache
def repo_synonyms() -> dict[str, tuple[str, ...]]:
    """synonyms.txt: an everyday word, then the words courses use for it."""
    table: dict[str, tuple[str, ...]] = {}
    for line in (HERE / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) > 1:
            table[words[0]] = tuple(words[1:])
    return table


def normalise(text: str) -> str:
    """Full-width letters to half-width, traditional characters to simplified, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    return zhconv.convert(text, "zh-hans").lower()


def clean(token: str) -> str:
    return "".join(ch for ch in token if ch.isalnum())


def is_ascii_word(word: str) -> bool:
    return word.isascii()


def words_of(text: str, *, for_search: bool = False) -> list[str]:
    """The words of a text: jieba's precise cut; for the index also every dictionary word the
    text contains (太极拳 → 太极, 太极拳; 在手机上挂号 → 在手, 手机, 机上, 挂号), so that a
    word is found even where jieba's best cut of the sentence went another way."""
    text = normalise(text)
    cut = segmenter().cut(text, HMM=False)
    if for_search:
        cut = [*cut, *segmenter().cut(text, cut_all=True)]
    return [word for word in dict.fromkeys(clean(token) for token in cut) if word]


def index_text(text: str) -> str:
    """Segmented, space-joined: what the full-text tables store."""
    return " ".join(words_of(strip_html(text), for_search=True))


def pinyin_text(*texts: str) -> str:
    """Full pinyin and initials, without tones, of each word and of the whole: 书法入门 gives
    shu fa shufa sf ru men rumen rm shufarumen sfrm."""
    found: list[str] = []
    for text in texts:
        words = [w for w in words_of(text) if not is_ascii_word(w)]
        whole, initials = [], []
        for word in words:
            syllables = [s for s in (clean(p) for p in lazy_pinyin(word)) if s.isascii() and s]
            if not syllables:
                continue
            found.extend(syllables)
            found.append("".join(syllables))
            found.append("".join(s[0] for s in syllables))
            whole.extend(syllables)
            initials.extend(s[0] for s in syllables)
        if len(words) > 1:
            found.append("".join(whole))
            found.append("".join(initials))
    return " ".join(dict.fromkeys(word for word in found if word))


def strip_html(text: str) -> str:
    return html.unescape(strip_tags(text or ""))


@dataclass
class Term:
    """One word of a query: any of `words` exactly, or a word starting with one of
    `prefixes`."""

    typed: str
    words: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)

    @property
    def shown(self) -> list[str]:
        """What to highlight for this term."""
        return [w for w in [*self.words, *self.prefixes] if not is_ascii_word(w) or len(w) > 1]


def parse_query(query: str, synonyms: dict[str, tuple[str, ...]]) -> list[Term]:
    """A query as terms that must all match. Never raises, whatever was typed."""
    words = words_of(normalise(query)[:QUERY_MAX])
    meaningful = [word for word in words if word not in STOP_WORDS] or words
    terms: list[Term] = []
    for word in dict.fromkeys(meaningful):
        term = Term(typed=word, words=[word, *synonyms.get(word, ())])
        if is_ascii_word(word):
            # Pinyin is typed a syllable at a time: shu → shufa; one letter says too little.
            if len(word) > 1 and not word.isdigit():
                term.prefixes.append(word)
        elif len(word) == 1:
            term.prefixes.append(word)  # 手 → 手机
        terms.append(term)
    return terms[:TERMS_MAX]


CHINESE = re.compile(r"[\u3400-\u9fff]")


def character_pinyin(plain: str) -> list[str]:
    """The toneless pinyin of each character of `plain` ("" for what is not Chinese), read
    word by word as the index reads it (音乐 yin yue, 快乐 kuai le)."""
    syllables: list[str] = []
    for token in segmenter().cut(plain, HMM=False):
        sounds = lazy_pinyin(token) if CHINESE.search(token) else []
        if len(sounds) != len(token):
            sounds = [lazy_pinyin(ch)[0] if CHINESE.match(ch) else "" for ch in token]
        pairs = zip(sounds, token, strict=True)
        syllables += [clean(sound) if CHINESE.match(ch) else "" for sound, ch in pairs]
    return syllables


def pinyin_spans(plain: str, typed: list[str]) -> list[tuple[int, int]]:
    """Where typed pinyin matches the Chinese of `plain`, as (start, end) character spans:
    full pinyin typed whole or begun (shufa, shuf, shu → 书法, 书), or initials (sf → 书法)."""
    typed = [word for word in typed if len(word) > 1 and word.isalpha()]
    if not typed or not CHINESE.search(plain):
        return []
    sounds = character_pinyin(plain)
    spans = []
    for start, first in enumerate(sounds):
        if not first:
            continue
        for word in typed:
            # Full pinyin: syllables from here until the typed letters are used up.
            joined, end = "", start
            while end < len(sounds) and sounds[end] and len(joined) < len(word):
                joined += sounds[end]
                end += 1
            if joined.startswith(word):
                spans.append((start, end))
            # Initials: one letter a character.
            run = sounds[start : start + len(word)]
            if len(run) == len(word) and all(run) and "".join(s[0] for s in run) == word:
                spans.append((start, start + len(word)))
    return spans


def highlight(text: str, terms: list[Term]) -> SafeString:
    """The text escaped, with every matched word in <mark>: the words themselves, and the
    Chinese words pinyin typed stands for."""
    shown = sorted({w for term in terms for w in term.shown}, key=len, reverse=True)
    if not shown or not text:
        return escape(text or "")
    # Matching runs on the normalised text (traditional → simplified keeps the length).
    plain = normalise(text)
    if len(plain) != len(text):
        plain = text.lower()
    pattern = re.compile("|".join(re.escape(w) for w in shown), re.IGNORECASE)
    spans = [(match.start(), match.end()) for match in pattern.finditer(plain)]
    spans += pinyin_spans(plain, [w for w in shown if is_ascii_word(w)])
    parts, last = [], 0
    for start, end in sorted(spans):
        start = max(start, last)
        if start >= end:
            continue
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    # Neighbouring words read as one mark.
    return mark_safe("".join(parts).replace("</mark><mark>", ""))  # every piece escaped above


def excerpt(text: str, terms: list[Term], *, before: int = 20, length: int = 80) -> str:
    """The part of a long text around its first matched word."""
    text = " ".join(text.split())
    plain = normalise(text).lower() if len(normalise(text)) == len(text) else text.lower()
    positions = [plain.find(w) for term in terms for w in term.shown if w and w in plain]
    if not positions:
        return text[:length] + ("…" if len(text) > length else "")
    start = max(0, min(positions) - before)
    end = start + length
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
