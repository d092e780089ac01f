"""Broken-lines repair: rejoin a paragraph that page layout cut in the middle of a sentence, and
the layout helpers that turn text into clean paragraphs.

E-paper and print layouts end lines at the column edge (`…努力实现` / blank line /
`合作共赢、一举多赢。`). A line is a cut fragment, to be joined with the next non-blank line,
when all of these hold:

- it does not end with terminal punctuation (`TERMINAL`: 。！？!?…”」』）):：;；), unless it
  is a lead marker alone with its byline (`本报讯(记者 陈锋 孙亚文)`);
- the break shows a cut: the next line opens with a mark no paragraph can open with
  (`NO_START`: ，、。 …), with a one-character clause (`作。为把好…`, `式,以项目…`) or with a
  speech verb and its comma (`指出,…`, `SPEECH_TAIL`); the line leaves a bracket or quote open
  (a lead cut inside its byline); a number runs on (`8` / `月23日`); the two lines make a lead
  marker (`本报` / `讯 …`); or the line fills the width the text was hard-wrapped at
  (`layout_width`: two in three of the lines that end no paragraph share one width);
- or it is body prose: it holds a comma, 顿号 or sentence end (`PROSE_MARKS`), is a lead, or
  ends in a function word no headline ends with (`FUNCTION_END`: 的 了 和 …, unless the
  character closes a word there, as in 成就 导向; `FUNCTION_WORDS`: 以及 关于 …); but not when
  it is a subheading with a comma above a news sentence's opening (`抓好三件事` /
  `李明在会上指出，…`: no sentence ends in the line, and it ends on a whole word);
- or, above a prose line, it is the opening of that line's sentence rather than a subheading:
  the break falls inside a word (`市领` / `导一行…`: the characters across it make a word in
  `crawler.repair.lexicon` far more often than the line's last two or the next line's first
  two do), a three-character speaker's name is cut before its last character (`李晓` /
  `雷强调,…`), the line is a date with no year (`11月6日` / `下午,…`), a numbered
  instruction (`二要加快构建` / `现代化…`) or names a leader's party (`市领导一行` / `先后…`);
  or the next line opens with what no paragraph opens with: a particle (`了管城区…`), a
  leader's party (`一行先后…`) or a two-character sentence (`会议。市领导…`);
- or, in a text where the rules above already joined `CONTEXT_CUTS_MIN` cuts, it is a line of
  Han characters (and quotes) with no subheading shape (brackets, bullets, spaces, a column
  label such as 见闻 综述) above a prose line that does not open a sentence of its own (a date,
  a speaker or phrase and a comma, 今年以来, 据, 要, a pronoun), and it is very short (`市长` /
  `何雄主持会议。`), sits above a sentence of a few characters (`…副书记` / `张延峰主持。`), ends
  on two characters that make no word (`会议由区` / `委副…`) or narrates (了, 由 after a
  subject, 一行: `市领导一行先后走访了管` / `城区…`);
- it is not a section heading (一、 (二) 3.), a byline, a meta line (dateline, 来源) or a photo
  caption (`…照样开心。城市摄影队 周斌 摄`);
- the first line of the text joins only on the next-line signals above, or when it reads as
  prose: a full stop, a lead marker, a comma at its end, a news-sentence opening
  (`11月6日下午,` `安伟要求,`) or a comma in a line longer than a headline; otherwise it is a
  headline, which may hold a comma or an exclamation (`守正创新,奋力谱写新篇章`,
  `行业巨震！龙头企业暂停所有广告`);
- the next line is not a headline or kicker, a byline, a meta line, a lead (本报讯…) or a
  numbered heading.

Everything else, paragraph breaks included, stays as it is. The joined text keeps every
character of both lines; only the break and the indentation around it go (one ASCII space the
text had at the break stays where text spaces words: see `_join`). Passes repeat, the layout
width measured again each time, until nothing joins, so the repair is idempotent.
"""

from __future__ import annotations

import re
from collections import Counter

from crawler.repair.lexicon import pair_count
from crawler.textmeta import (
    PROSE_OPENING,
    is_bare_lead,
    is_caption,
    is_enumerated,
    is_lead,
    looks_like_headline,
    looks_like_prose,
    parse_byline,
    parse_meta_line,
)
from crawler.vocab.chars import HAN

TERMINAL = frozenset("。！？!?…”」』）)：:；;\"]】")
"""Marks a paragraph can end with; a line ending in one is never a cut fragment."""

PROSE_MARKS = frozenset("，,、。；;")
"""Marks that show a line is body prose rather than a headline."""

CLAUSE_END = frozenset("，,、")
"""A line ending in one of these was cut: no headline ends with a comma."""

NO_START = frozenset("，,、。．；;：:！？!?）)》」』”…%％")
"""Marks no paragraph opens with: a line starting with one continues the line before."""

_ONE_CHAR_CLAUSE = re.compile(rf"[{HAN}][，,、。；;]")
"""A line opening with a one-character clause (`式,以项目…`, `作。为把好…`) is the tail of a
word cut at the line end: paragraphs open with longer clauses (近日，同时，)."""

SPEECH_TAIL = re.compile(r"(?:强调|指出|要求|表示|认为|介绍|提出|透露|坦言|说|称)[，,：:]")
"""A line opening with a speech verb and its comma (`指出,今年以来…`) is the tail of a sentence
whose speaker was cut off at the line end (`会议` / `指出,…`)."""

OPENERS = "(（“《【「『‘"
CLOSERS = ")）”》】」』’"
"""Paired marks; a line that leaves one open was cut before its closing mark."""

_PAIRED = re.compile(f"[{re.escape(OPENERS + CLOSERS)}]")

NUMBER_TAIL = re.compile(r"[0-9０-９][0-9０-９.．]*$")
NUMBER_CONTINUATION = re.compile(r"[0-9０-９.．%％年月日号时分秒万亿千百元个家项名人次米吨亩]")
"""A number cut at the line end (`8` / `月23日`, `2` / `2日`) continues on the next line."""

_MONTH_OPENING = re.compile(r"([0-9]{1,2})月[0-9]{1,2}日")
"""A next line opening with a date (`9月25日，…`): the number before it runs on only when the
two make a month (`1` / `1月25日` is 11月; `前20` / `9月25日` is a new paragraph)."""
_ASCII_NUMBER_TAIL = re.compile(r"[0-9]+$")

FUNCTION_END = frozenset("的了和与及在对把将从被向于而并或且之其该各由按给让使就都也还又才")
"""Function words no headline ends with: a line ending in one was cut mid-sentence, unless the
character closes a word there (成就, 导向, 人才, 参与: see `_ends_in_function_word`)."""

FUNCTION_WORDS = frozenset({"以及", "关于", "对于", "由于", "为了", "除了", "并且", "而且", "或者",
                            "及其", "以便", "按照", "根据", "围绕", "通过", "随着", "作为"})
"""Two-character function words that leave a clause open at a line end."""

WORD_PAIR_MIN = 500
"""How often (in `crawler.repair.lexicon`) two characters must make a word together for a break
between them to count as a cut through that word."""

WORD_PAIR_LEAD = 2
"""How many times more often the characters across the break must make a word than the two
characters that end the line, or the two that open the next one: a real break falls between
words (`会议` / `会上,…`), a layout cut inside one (`市领` / `导一行…`)."""

SPEAKER_CUT = re.compile(
    rf"(?P<rest>[{HAN}]{{1,2}})(?:强调|指出|要求|表示|认为|介绍|提出|透露|坦言|说|称)[，,：:]")
"""A next line opening with the rest of a name and a speech verb (`雷强调,…`)."""

NAME_LENGTH = 3
"""Length of the speaker's name a cut is looked for in: the usual three-character name, cut
after its second character (`李晓` / `雷强调,…`)."""

SENTENCE_SUBJECTS = frozenset("他她我你它这那此其据经均曾也还又并都另亦再就")
"""Characters that open a sentence before a speech verb (`他指出,…`, `据介绍,…`): no part of a
cut name."""

NAME_PAIR_MAX = 200
"""A line whose two characters make a word at least this often (`综述`, `编后`) is a label,
not the head of a name."""

NARRATIVE_FRAGMENT_MAX = 24
"""Longest line joined on context alone when it ends inside a phrase or narrates."""

_DATE_PIECE = re.compile(r"(?=.*\d)[\d０-９年月日号至\-—]+")
"""A line holding only a date without its year, or part of one (`11月6日`, `1月12日至`): no
dateline (it has no year) and no heading, so the sentence it opens goes on below."""

_MODAL_LIST = re.compile(rf"[一二三四五六七八九十]要[{HAN}]")
"""An instruction in a list run into the prose (`二要加快构建…`); headings number with 一、."""

_LEADER_PARTY = re.compile(rf"[{HAN}]{{2,}}一行(?![行人字业])[{HAN}]{{0,{NARRATIVE_FRAGMENT_MAX}}}")
"""A line naming a leader's party (`市领导一行`, `杜新军一行先后`): the subject of a visit
sentence, which the line below goes on with; no subheading."""

_HAN_CHAR = re.compile(rf"[{HAN}]")
_HAN_WORD = re.compile(rf"[{HAN}]+")
_OPENING_WORD = re.compile(rf"[{HAN}]{{2}}[，,、：:]")
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_SPACED_BEFORE = frozenset(_ALNUM + ")）")
_SPACED_AFTER = frozenset(_ALNUM)
_HALF_WIDTH = re.compile(r"[ a-zA-Z0-9.%+/-]")
_SPACED = re.compile(r"\S\s+\S")
"""Space inside a line: table rows and headlines space their parts, wrapped prose does not."""

WRAP_LINES_MIN = 4
"""Lines of one width it takes to see a hard-wrapped layout (and two in three of the lines
that end no paragraph must have it)."""

WRAP_SLACK = 3
"""Columns a wrapped line may fall short of the width: one a full-width character cannot use,
or two when a mark that may not open a line pulls the character before it down."""

WRAP_COLUMNS_MIN = 32
"""Narrowest layout width taken as a hard wrap (16 Han characters); headings are shorter."""
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

PARTICLES = frozenset("了着们")
"""Particles that close the word before them: a line opening with one continues the line
above, unless the particle starts a word there (了解, 着力)."""

LOOSE_PAIR_MAX = 20
"""A line whose last two characters make no word together (`一行先` / `后来到…`: 行先) ends
inside a word whenever its last character and the next line's first one make one."""

_TWO_CHAR_SENTENCE = re.compile(rf"[{HAN}]{{2}}[。！？!?]")
_OPENING_CLAUSE = re.compile(rf"[{HAN}]{{2,4}}[，,：:]|[0-9０-９]")

CONTEXT_CUTS_MIN = 2
"""Cuts the other rules must have joined in a text before a short line without punctuation
above a prose line is taken for a cut on context alone (`_cut_in_context`): in a text the
layout cut up, `会议` / `由区委副书记主持。` is a cut; in a clean one it may be a subheading."""

CONTEXT_FRAGMENT_MAX = 3
"""Longest line (in characters) joined on context alone whatever it ends with (`市长` /
`何雄主持会议。`): a subheading is longer, or a column label (`综述`)."""


NARRATIVE_MARKERS = frozenset("了由被")

_SHORT_SENTENCE = re.compile(rf"[{HAN}]{{1,6}}[。！？!?]")
"""A line opening with a sentence of a few characters (`张延峰主持。…`) ends one begun above."""

_CONTEXT_FRAGMENT = re.compile(rf"[{HAN}“”‘’]+")

HEADING_MARKS = frozenset("【】[]「」『』〖〗■□◆◇●○▲△★☆◎•·—|｜ \u3000\t")
"""Marks and spaces that set a subheading apart from the prose (`【聚焦】`, `■ 民生实事`)."""

HEADING_LABELS = ("见闻", "综述", "链接", "纪实", "特写", "侧记", "手记", "短评", "述评", "点评",
                  "评论", "编后", "背景", "观察", "速览", "掠影", "现场", "声音", "花絮", "快讯",
                  "简讯", "导读", "贴士", "阅读", "故事", "访谈", "数据", "图解")
"""Words column labels and feature subheadings end with (`一线见闻`, `相关链接`)."""

SENTENCE_OPENERS = ("今年", "去年", "近年", "近日", "日前", "目前", "当前", "近期", "如今", "此外",
                    "同时", "另外", "随着", "截至", "为了", "为", "在", "据", "要", "记者", "他",
                    "她", "我", "这", "此", "“", "《")
"""How a paragraph under a subheading opens without a subject before it: an adverbial of time
or purpose, a modal instruction (`要…`), a pronoun or a quote."""


def _is_fragment(line: str) -> bool:
    """Whether `line` (stripped, non-blank) may be the first part of a cut paragraph."""
    if line[-1] in TERMINAL:
        return line[-1] in ")）" and is_bare_lead(line)
    if is_enumerated(line) or is_caption(line):
        return False
    return parse_byline(line) is None and parse_meta_line(line) is None


def _reads_as_prose(line: str) -> bool:
    """Whether a first line is body prose rather than a headline (which may hold a comma, an
    exclamation or a question, but no full stop)."""
    return (is_lead(line) or line[-1] in CLAUSE_END or looks_like_prose(line)
            or "。" in line)


def _left_open(line: str) -> bool:
    """Whether `line` opens more brackets and quotes than it closes."""
    marks = _PAIRED.findall(line)
    return bool(marks) and sum(1 if mark in OPENERS else -1 for mark in marks) > 0


def _needs_words_before(following: str) -> bool:
    """Whether `following` opens with what cannot open a sentence: an aspect or plural
    particle (`了管城区…`, but 了解 and 着力 are words) or a leader's party (`一行先后…`)."""
    if following[0] in PARTICLES:
        return len(following) > 1 and pair_count(following[0], following[1]) < WORD_PAIR_MIN
    return following.startswith("一行") and following[2:3] not in ("行", "人", "字", "")


def _cut_mid_word(fragment: str, following: str) -> bool:
    """Signals on both sides of the break that a word or number was cut there."""
    if following[0] in NO_START or _short_clause(following) or _needs_words_before(following):
        return True
    if _ONE_CHAR_CLAUSE.match(following) and not is_enumerated(following):
        return True
    if SPEECH_TAIL.match(following) or _left_open(fragment):
        return True
    if (NUMBER_TAIL.search(fragment) and NUMBER_CONTINUATION.match(following)
            and _runs_into_month(fragment, following)):
        return True
    if is_bare_lead(fragment):
        return True
    return is_lead(fragment + following) and not is_lead(following)


def _runs_into_month(fragment: str, following: str) -> bool:
    """Whether the number ending `fragment` can run on into the next line: always, unless the
    next line opens with a date and the digits joined make no month (`_MONTH_OPENING`)."""
    month = _MONTH_OPENING.match(following)
    if month is None:
        return True
    tail = _ASCII_NUMBER_TAIL.search(fragment)
    return tail is None or int(tail.group() + month.group(1)) <= 12


def _ends_in_function_word(fragment: str) -> bool:
    """Whether `fragment` ends in a function word that leaves the clause open (`…开学准备和`),
    rather than in a word that merely ends with such a character (`成就`, `导向`)."""
    if fragment[-2:] in FUNCTION_WORDS:
        return True
    if fragment[-1] not in FUNCTION_END:
        return False
    return len(fragment) < 2 or pair_count(fragment[-2], fragment[-1]) < WORD_PAIR_MIN


def _word_across(fragment: str, following: str) -> bool:
    """Whether the break between `fragment` and `following` falls inside a word: the characters
    on either side make a word far more often than the line's last two or the next line's first
    two characters do (`市领` / `导一行…`, `三要深` / `入推进…`). A next line opening with a
    two-character phrase and a mark (`会上,…`, `高义、…`) starts on a word of its own."""
    if len(following) < 2 or _OPENING_WORD.match(following) is not None:
        return False
    across = pair_count(fragment[-1], following[0])
    if across < WORD_PAIR_MIN:
        return False
    before = pair_count(fragment[-2], fragment[-1]) if len(fragment) > 1 else 0
    if before < LOOSE_PAIR_MAX:
        return True
    after = pair_count(following[0], following[1])
    return across >= WORD_PAIR_LEAD * max(before, after)


def _name_cut(fragment: str, following: str) -> bool:
    """Whether a speaker's name was cut by the layout: a line of a few Han characters that
    make no word (`综述`, `短评` do), then the rest of the name and a speech verb (`李晓` /
    `雷强调,…`)."""
    speaker = SPEAKER_CUT.match(following)
    if speaker is None or _HAN_WORD.fullmatch(fragment) is None:
        return False
    rest = speaker["rest"]
    if len(fragment) + len(rest) != NAME_LENGTH or len(rest) != 1 or rest in SENTENCE_SUBJECTS:
        return False
    return pair_count(fragment[0], fragment[1]) < NAME_PAIR_MAX


def _opens_sentence(fragment: str, following: str) -> bool:
    """Whether a short line without punctuation is the opening of the prose line below it,
    not a subheading: a date with no year, a numbered instruction (`二要…`), a word or a
    speaker's name cut in two."""
    return (_DATE_PIECE.fullmatch(fragment) is not None
            or _MODAL_LIST.match(fragment) is not None
            or _LEADER_PARTY.fullmatch(fragment) is not None
            or _word_across(fragment, following) or _name_cut(fragment, following))


def _short_clause(following: str) -> bool:
    """Whether `following` opens with a two-character sentence (`会议。市领导…`): a paragraph
    does not, so the line is the tail of a sentence cut short at the break."""
    return _TWO_CHAR_SENTENCE.match(following) is not None and not is_enumerated(following)


def _heading_shaped(fragment: str) -> bool:
    """Whether a short line has a subheading's shape: a mark or space inside (`【聚焦】`,
    `■ 民生实事`, `强化支撑 推动回升`), or a column label (`一线见闻`, `综述`)."""
    return (any(mark in HEADING_MARKS for mark in fragment)
            or fragment.endswith(HEADING_LABELS))


def _opens_own_sentence(following: str) -> bool:
    """Whether `following` opens a sentence of its own, as a paragraph under a subheading
    does: a date, a speaker or a short phrase and a comma (`会上,` `何雄强调,`), a lead, a
    sentence adverbial (`今年以来` `据`) or a pronoun."""
    return (PROSE_OPENING.match(following) is not None
            or _OPENING_CLAUSE.match(following) is not None
            or is_lead(following) or following.startswith(SENTENCE_OPENERS))


def _narrates(fragment: str) -> bool:
    """Whether `fragment` holds what narrative prose has and headings leave out: a leader's
    party (`杜新军一行`), or outside a word the aspect particle 了 (`走访了`, not 为了 or 了解)
    or, after a subject, an agent marker (`会议由区委…`, not 由于 or 理由)."""
    if "一行" in fragment:
        return True
    for index, char in enumerate(fragment[1:-1], start=1):
        if (char in NARRATIVE_MARKERS and (char == "了" or index >= 2)
                and pair_count(fragment[index - 1], char) < WORD_PAIR_MIN
                and pair_count(char, fragment[index + 1]) < WORD_PAIR_MIN):
            return True
    return False


def _cut_in_context(fragment: str, following: str) -> bool:
    """Whether, in a text whose other lines show layout cuts, `fragment` is the opening of the
    prose line below it rather than a subheading: no mark (quotes aside) or space in it, no
    heading shape, the line below goes on with its clause instead of opening a sentence, and
    the line is very short (`会议` / `由区委…`), ends inside a phrase (`会议由区` / `委副…`: its
    last two characters make no word) or narrates (`市领导一行先后走访了管`)."""
    if (_CONTEXT_FRAGMENT.fullmatch(fragment) is None or _heading_shaped(fragment)
            or not _is_prose(following) or _opens_own_sentence(following)):
        return False
    if len(fragment) <= CONTEXT_FRAGMENT_MAX or _SHORT_SENTENCE.match(following):
        return True
    return len(fragment) <= NARRATIVE_FRAGMENT_MAX and (
        pair_count(fragment[-2], fragment[-1]) < LOOSE_PAIR_MAX or _narrates(fragment))


def _is_prose_fragment(fragment: str, first: bool) -> bool:
    """Whether `fragment` reads as the start of body prose, not a headline or heading."""
    if first:
        return _reads_as_prose(fragment)
    return (any(mark in fragment for mark in PROSE_MARKS) or is_lead(fragment)
            or _ends_in_function_word(fragment))


def _is_prose(line: str) -> bool:
    """Whether `line` is body prose: it holds a comma or sentence end and is no headline."""
    return any(mark in line for mark in PROSE_MARKS) and not looks_like_headline(line)


def _continues(fragment: str, following: str, first: bool) -> bool:
    """Whether stripped `following` continues stripped `fragment` across a layout break."""
    if _cut_mid_word(fragment, following):
        return True
    if _subheading_above(fragment, following):
        return False
    if not _is_prose_fragment(fragment, first) and not (
            not first and _is_prose(following) and _opens_sentence(fragment, following)):
        return False
    return not (
        looks_like_headline(following)
        or is_lead(following)
        or is_enumerated(following)
        or parse_byline(following) is not None
        or parse_meta_line(following) is not None
    )


def _subheading_above(fragment: str, following: str) -> bool:
    """Whether `fragment` is a subheading above a paragraph of its own: no sentence ends in it,
    it ends on no mark and no function word, and `following` opens a news sentence (a date or
    a speaker and a comma, `PROSE_OPENING`) that does not finish a word or name of `fragment`
    (`抓好三件事` / `李明在会上指出，…`; not `…部署。”主任` / `赵刚表示，…`, nor `李晓` /
    `雷强调，…`)."""
    return (fragment[-1] not in PROSE_MARKS and not _ends_in_function_word(fragment)
            and not any(mark in fragment for mark in "。！？!?")
            and PROSE_OPENING.match(following) is not None
            and not _opens_sentence(fragment, following))


def _join(fragment: str, following: str) -> str:
    """The two lines as one: layout whitespace at the break goes, except one ASCII space the
    text itself had there, where text spaces words: next to a letter, a digit or a closing
    bracket (`孙亚文)` / ` 8月23日`), or between names inside a byline's brackets; and one
    between two ASCII words."""
    left, right = fragment.rstrip(), following.lstrip()
    own_space = (fragment.endswith(" ") and not fragment.endswith("  ")) or (
        following.startswith(" ") and not following.startswith("  "))
    ascii_words = left[-1] in _ASCII_WORD and right[0] in _ASCII_WORD
    spaced = (left[-1] in _SPACED_BEFORE or right[0] in _SPACED_AFTER
              or (_HAN_CHAR.match(left[-1]) is not None and _left_open(left)))
    keep_space = own_space and (spaced or is_bare_lead(left))
    return left + (" " if keep_space or ascii_words else "") + right


def columns(line: str) -> int:
    """How many columns `line` takes in a page layout: one for an ASCII letter, digit or space,
    two for everything else (Han characters and punctuation, which sites print full-width)."""
    return 2 * len(line) - len(_HALF_WIDTH.findall(line))


def layout_width(lines: list[str]) -> int | None:
    """The column width a layout cut `lines` at, when it hard-wrapped them: the width (less up
    to `WRAP_SLACK` columns) shared by two in three of the lines that do not end a paragraph
    and hold no inner space (table rows and spaced headlines are no evidence), at least
    `WRAP_LINES_MIN` of them and `WRAP_COLUMNS_MIN` wide."""
    open_lines = [line for line in (line.rstrip() for line in lines)
                  if line.strip() and line[-1] not in TERMINAL and not _SPACED.search(line)]
    if len(open_lines) < WRAP_LINES_MIN:
        return None
    counts = Counter(columns(line) for line in open_lines)
    width, shared = max(
        ((w, sum(counts[w - gap] for gap in range(WRAP_SLACK + 1))) for w in counts),
        key=lambda c: (c[1], c[0]))
    if width < WRAP_COLUMNS_MIN or shared < WRAP_LINES_MIN or 3 * shared < 2 * len(open_lines):
        return None
    return width


def _fills_layout(line: str, width: int | None) -> bool:
    return width is not None and width - WRAP_SLACK <= columns(line.rstrip()) <= width


def _rejoin_once(lines: list[str], width: int | None, in_context: bool) -> list[str]:
    """One pass over `lines`, joining each fragment with the next non-blank line. `width` is
    the layout width the text was hard-wrapped at, if any: a line filling it was cut.
    `in_context` says the text showed enough cuts to join short openings on context alone
    (`_cut_in_context`)."""
    out: list[str] = []
    blanks: list[str] = []
    text_lines = 0
    last_piece = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            blanks.append(line)
            continue
        if text_lines:
            previous = out[-1].strip()
            first = text_lines == 1
            if _is_fragment(previous) and (
                    _continues(previous, stripped, first)
                    or (_fills_layout(last_piece, width) and _wraps_on(previous, stripped, first))
                    or (in_context and not first and _cut_in_context(previous, stripped))):
                out[-1] = _join(out[-1], line)
                last_piece = line
                blanks = []
                continue
        out.extend(blanks)
        blanks = []
        out.append(line)
        last_piece = line
        text_lines += 1
    out.extend(blanks)
    return out


def _wraps_on(fragment: str, following: str, first: bool) -> bool:
    """Whether `following` can be the next line of a hard-wrapped paragraph whose line
    `fragment` filled the layout width: anything but a new block (lead, numbered heading,
    byline, meta line); a first line only when it reads as prose, not as a headline."""
    if first and not _reads_as_prose(fragment):
        return False
    return not (is_lead(following) or is_enumerated(following)
                or parse_byline(following) is not None or parse_meta_line(following) is not None)


def rejoin_broken_lines(text: str) -> str:
    """`text` with paragraphs cut by layout joined again; other lines are untouched."""
    lines = text.split("\n")
    cuts = 0
    while True:
        joined = _rejoin_once(lines, layout_width(lines), cuts >= CONTEXT_CUTS_MIN)
        if len(joined) == len(lines):
            break
        cuts += _text_lines(lines) - _text_lines(joined)
        lines = joined
    if len(lines) == text.count("\n") + 1:
        return text
    return "\n".join(lines)


def _text_lines(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip())


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of `text` with layout whitespace (spaces, U+3000 indentation) trimmed
    from both ends; nothing inside a line changes."""
    return [stripped for line in text.splitlines() if (stripped := line.strip())]
