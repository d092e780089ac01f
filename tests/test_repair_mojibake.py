"""Tests for the mojibake repairs: real sentences damaged in Python, restored exactly; clean text
of every kind passes through untouched."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.damage import browser_cp1252, double_byte_offsets, traditional, width_fold
from crawler.repair import PAGE_REPAIRS, lexicon, mojibake, repair_text
from crawler.repair.mojibake import (
    cp1252_undefined,
    fix_gbk_as_latin1,
    fix_shifted_gbk,
    fix_utf8_as_cp1252,
    fix_utf8_as_gbk,
    gbk_undecodable,
    holds_utf8_as_gbk,
    plausibility,
    strict_utf8_runs,
)

SEED_002 = Path(__file__).parent / "golden" / "seeds" / "002_924ec85aeffc136c.txt"

SIMPLIFIED = [
    "示范区党工委书记、市委书记张战伟主持召开示范区党工委会议。",
    "会议强调,要认真学习贯彻会议精神,毫不松懈抓好常态化疫情防控工作。",
    "11月6日下午,孟津区召开重点工作推进会议,全面落实各项部署。",
    "我们将全力以赴打造黄河流域生态保护的精品示范工程。",
    "项目实施后,可增加湿地面积50公顷,新增林地34公顷。",
    "“会议对‘十四五’工业发展的思路、目标作出了重要安排部署。”",
]
TRADITIONAL = [
    "藍圖鼓舞人心,目標催人奮進。",
    "大家紛紛表示,要在會議精神的指引下,繼續大力弘揚愚公移山精神。",
    "示範區交通運輸局客運管理科科長高玲說,計劃在期間建成五個鎮二級客運站。",
]
SENTENCES = SIMPLIFIED + TRADITIONAL

CLEAN = [
    *SENTENCES,
    "习近平总书记主持召开中共中央政治局常务委员会会议,分析了国内外疫情防控形势。",
    "新华社北京1月12日电(记者 郑海波)国务院新闻办公室今日举行发布会。",
    "你好吗?我很好!谢谢。",
    "第一季度GDP同比增长5.3%,CPI上涨0.1%。",
    "The café in Zürich serves crème brûlée; naïve façade, Ærø, Ångström.",
    "藍(lán)圖 奮勇爭先(zhēng xiān) 綠色 lǜsè nǚ’ér",
    "全角标点:“引号”、《书名》,(括号)【方头】——破折号……省略号。",
    "Price: €12, 5×3, 90°C, ±2, ¥100, © 2023 · ½ kg",
    "",
    "   \n\n",
    "請問這是什麼?我們明天見!會議決定:繼續推進?",
    "Is it OK? 这是GDP增长吗?对!Q3营收?USD 5.2B,iPhone?",
    "lǜsè?nǚ’ér? 藍(lán)圖?奮勇爭先(zhēng xiān)?Lǘ Xiǎo?",
    "犇羴鱻?赑屃?饕餮?他叫喆,来自濮阳?堃垚淼?",
    "“真的吗?”他问。“是的!”",
]


# UTF-8 read as GBK ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "我们将全力以赴打造黄河流域生态保护的精品示范工程",
        "示范区党工委书记主持召开会议",
        "会议强调,要认真学习贯彻会议精神",
    ],
)
def test_utf8_as_gb18030_is_restored(sentence: str) -> None:
    damaged = sentence.encode("utf-8").decode("gb18030", errors="replace")
    assert damaged != sentence
    assert fix_utf8_as_gbk(damaged) == sentence


def test_utf8_as_gbk_classic_example() -> None:
    assert "中国".encode().decode("gb18030") == "涓\ue15e浗"
    assert fix_utf8_as_gbk("涓\ue15e浗人民") == "中国人民"
    assert fix_utf8_as_gbk("我爱涓\ue15e浗") == "我爱中国"


@pytest.mark.parametrize("placeholder", ["\ufffd", "?"])
def test_utf8_as_gbk_with_lost_bytes(placeholder: str) -> None:
    sentence = "中国人民"
    damaged = sentence.encode().decode("gbk", errors="replace").replace("\ufffd", placeholder)
    assert damaged == f"涓{placeholder}鍥戒汉姘{placeholder}"
    assert fix_utf8_as_gbk(damaged) == sentence


def test_utf8_as_gbk_odd_trailing_byte_lost() -> None:
    sentence = "黄河流域生态保护"
    data = sentence.encode()
    damaged = data[:-1].decode("gb18030", errors="replace")
    assert fix_utf8_as_gbk(damaged) == sentence


def test_utf8_as_gbk_paragraph_among_clean_ones() -> None:
    clean = SIMPLIFIED[0]
    sentence = "我们将全力以赴打造黄河流域生态保护的精品示范工程"
    broken = sentence.encode().decode("gb18030")
    text = f"{clean}\n{broken}\n{TRADITIONAL[0]}"
    assert fix_utf8_as_gbk(text) == f"{clean}\n{sentence}\n{TRADITIONAL[0]}"


@pytest.mark.parametrize(
    "sentence", ["中国人民", "会议强调,要认真学习贯彻会议精神", "黄河流域生态保护"]
)
def test_utf8_as_gbk_ignore_is_restored(sentence: str) -> None:
    damaged = sentence.encode().decode("gbk", errors="ignore")
    assert damaged != sentence
    assert fix_utf8_as_gbk(damaged) == sentence


def test_lost_gbk_byte_is_one_the_decoder_could_not_use() -> None:
    assert not gbk_undecodable(0xB8, 0xAD) and gbk_undecodable(0xAE, 0xAE)
    assert gbk_undecodable(0x80, 0x41) and not gbk_undecodable(0x41, 0x80)
    assert cp1252_undefined(0x9D, None) and not cp1252_undefined(0x9C, None)


def test_guessed_quote_marks_open_and_close() -> None:
    sentence = "他说“会议精神”,要落实"
    damaged = sentence.encode().decode("gbk", errors="replace")
    assert fix_utf8_as_gbk(damaged) == sentence


def test_guess_keeps_the_script_of_its_span() -> None:
    for sentence in ("召开示范区党工委会议", "召開示範區黨工委會議"):
        damaged = sentence.encode().decode("gbk", errors="replace")
        assert fix_utf8_as_gbk(damaged) == sentence


def test_date_digits_help_the_guess() -> None:
    sentence = "济源网讯5月7日,示范区召开会议"
    damaged = sentence.encode().decode("gb18030", errors="replace")
    assert "\ufffd" in damaged
    assert fix_utf8_as_gbk(damaged) == sentence


# GBK read as cp1252 / Latin-1 -----------------------------------------------------------------


@pytest.mark.parametrize("sentence", SENTENCES)
def test_gbk_as_browser_cp1252_is_restored(sentence: str) -> None:
    damaged = browser_cp1252(sentence.encode("gbk"))
    assert damaged != sentence
    assert fix_gbk_as_latin1(damaged) == sentence


@pytest.mark.parametrize("sentence", SENTENCES)
def test_gbk_as_latin1_is_restored(sentence: str) -> None:
    damaged = sentence.encode("gbk").decode("latin-1")
    assert fix_gbk_as_latin1(damaged) == sentence


def test_gbk_as_latin1_classic_example_with_c1_control() -> None:
    assert fix_gbk_as_latin1("ÖÐ¹ú") == "中国"
    damaged = browser_cp1252("示範區".encode("gbk"))
    assert "\x85" not in damaged and "…^" in damaged
    assert fix_gbk_as_latin1(damaged) == "示範區"
    assert fix_gbk_as_latin1(browser_cp1252("圖書館".encode("gbk"))) == "圖書館"


def test_utf8_as_cp1252_is_left_to_its_own_repair() -> None:
    sentence = "新闻·郑州晚报记者 陈锋 孙亚文) 8月23日下午,区域合作"
    damaged = browser_cp1252(sentence.encode())
    assert fix_gbk_as_latin1(damaged) == damaged
    assert fix_utf8_as_cp1252(damaged) == sentence


@pytest.mark.parametrize("sentence", SENTENCES)
def test_cp1252_replaced_bytes_are_guessed_among_the_undefined(sentence: str) -> None:
    for data in (sentence.encode("gbk"), sentence.encode()):
        damaged = data.decode("cp1252", errors="replace")
        repair = fix_gbk_as_latin1 if data == sentence.encode("gbk") else fix_utf8_as_cp1252
        assert repair(damaged) in (sentence, damaged)


def test_gbk_as_latin1_paragraph_among_clean_ones() -> None:
    text = f"{SIMPLIFIED[1]}\n{SIMPLIFIED[2].encode('gbk').decode('latin-1')}\nZürich café"
    assert fix_gbk_as_latin1(text) == f"{SIMPLIFIED[1]}\n{SIMPLIFIED[2]}\nZürich café"


# UTF-8 read as cp1252 -------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", SENTENCES)
def test_utf8_as_cp1252_is_restored(sentence: str) -> None:
    damaged = browser_cp1252(sentence.encode("utf-8"))
    assert damaged != sentence
    assert fix_utf8_as_cp1252(damaged) == sentence


def test_utf8_as_cp1252_classic_example() -> None:
    assert fix_utf8_as_cp1252("ä¸\xadå›½") == "中国"
    assert fix_utf8_as_cp1252("ä¸\xadå›½äººæ°\x91") == "中国人民"


def test_utf8_as_cp1252_keeps_tone_marks_of_its_line() -> None:
    sentence = "藍(lán)圖鼓舞人心,奮勇爭先(zhēng)。"
    assert fix_utf8_as_cp1252(browser_cp1252(sentence.encode())) == sentence


# Shifted GBK ----------------------------------------------------------------------------------


def lead_lost(sentence: str, char_index: int) -> str:
    """The lead byte of one character became `?`, misaligning what follows."""
    data = sentence.encode("gbk")
    offset = double_byte_offsets(data)[char_index]
    return (data[:offset] + b"?" + data[offset + 1 :]).decode("gbk", errors="replace")


@pytest.mark.parametrize(
    ("sentence", "char_index"),
    [
        ("我深感責任重大。”示範區住房和城鄉建設局局長說", 4),
        ("保護母親河的綠廊。”河南黃河濕地國家級自然保護區", 8),
        ("保護母親河的綠廊。”河南黃河濕地國家級自然保護區", 13),
        ("保護母親河的綠廊。”河南黃河濕地國家級自然保護區", 17),
        ("会议强调,要认真学习贯彻会议精神", 8),
    ],
)
def test_shifted_gbk_lead_lost_is_realigned(sentence: str, char_index: int) -> None:
    damaged = lead_lost(sentence, char_index)
    assert damaged != sentence and "?" in damaged
    assert fix_shifted_gbk(damaged) == sentence


def test_shifted_gbk_realigns_width_folded_signs() -> None:
    original = "責任重大。”示範區(qū)住房"
    damaged = lead_lost(original, 4)
    assert damaged.startswith("責任重大?！")
    folded = damaged.replace("！", "!")
    assert fix_shifted_gbk(folded) == original
    assert fix_shifted_gbk(damaged) == original


def test_shifted_gbk_run_closed_by_a_replaced_byte() -> None:
    sentence = "习近平总书记主持召开中共中央政治局常务委员会会议"
    damaged = lead_lost(sentence, 8)
    assert damaged.startswith("习近平总书记主持?") and "\ufffd" in damaged
    assert fix_shifted_gbk(damaged) == sentence


@pytest.mark.parametrize(
    ("sentence", "char_index"),
    [
        ("中原发投集团、中原豫资控股集团", 4),
        ("要围绕解决“谋”的问题、“学”的问题。", 3),
        ("校园安全保障等工作。", 4),
    ],
)
@pytest.mark.parametrize("fold", [False, True])
def test_shifted_gbk_placeholder_trail_and_folded_signs(
    sentence: str, char_index: int, fold: bool
) -> None:
    damaged = lead_lost(sentence, char_index)
    assert "\ufffd" in damaged
    if fold:
        damaged, sentence = width_fold(damaged), width_fold(sentence)
    assert fix_shifted_gbk(damaged) == sentence


def test_shifted_gbk_folded_sign_inside_a_run_is_unfolded() -> None:
    damaged = width_fold(lead_lost("校园安全保障等工作。", 4))
    assert damaged.startswith("校园安全?U系")
    assert fix_shifted_gbk(damaged) == "校园安全保障等工作。"


@pytest.mark.parametrize("byte", [0, 1])
def test_shifted_gbk_byte_dropped_before_a_replaced_one(byte: int) -> None:
    sentence = "推进城市更新，加强生态环境修复，完善城市功能。"
    data = sentence.encode("gbk")
    offset = double_byte_offsets(data)[11] + byte
    damaged = (data[:offset] + data[offset + 1 :]).decode("gbk", errors="replace")
    damaged = damaged.replace("\ufffd", "?")
    assert "?" in damaged and "生态环境修复" not in damaged
    assert fix_shifted_gbk(damaged) == sentence


def test_shifted_gbk_byte_dropped_without_marker() -> None:
    sentence = "要在建設宜居韌性智能城市上示範先行,走在全省前列"
    data = sentence.encode("gbk")
    offset = double_byte_offsets(data)[8]
    damaged = (data[:offset] + data[offset + 1 :]).decode("gbk", errors="replace")
    assert "城市上示範先行" not in damaged
    repaired = fix_shifted_gbk(damaged)
    assert repaired.endswith("能城市上示範先行,走在全省前列")
    assert repaired.startswith("要在建設宜居韌性")
    assert plausibility(repaired) > plausibility(damaged)


def test_seed_002_shifted_runs_are_restored() -> None:
    text = SEED_002.read_text(encoding="utf-8")
    damaged_runs = ["?!笔痉秴^", "?!焙幽宵S"]
    assert all(run in text for run in damaged_runs)
    repaired = fix_shifted_gbk(text)
    assert text.count("?!笔痉秴^") == 2
    assert repaired.count("。”示范區") == text.count("。”示范區") + 2
    assert repaired.count("。”河南黃") == 1
    for char in "笔痉秴焙幽宵":
        assert repaired.count(char) < text.count(char) or char not in text
    assert "笔痉秴" not in repaired and "焙幽宵" not in repaired
    assert "?tīng)?zhēng)" in repaired
    assert fix_shifted_gbk(repaired) == repaired


def test_seed_002_is_untouched_by_the_other_repairs() -> None:
    text = SEED_002.read_text(encoding="utf-8")
    for repair in (fix_utf8_as_gbk, fix_gbk_as_latin1, fix_utf8_as_cp1252):
        assert repair(text) == text


# Clean text -----------------------------------------------------------------------------------

REPAIRS = [fix_utf8_as_gbk, fix_gbk_as_latin1, fix_utf8_as_cp1252, fix_shifted_gbk]


@pytest.mark.parametrize("repair", REPAIRS)
@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_untouched(repair: Callable[[str], str], text: str) -> None:
    assert repair(text) == text


@pytest.mark.parametrize("repair", REPAIRS)
def test_clean_seeds_are_untouched(repair: Callable[[str], str]) -> None:
    for path in sorted(SEED_002.parent.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if path != SEED_002:
            assert repair(text) == text, path.name


COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理府研质"
)
PUNCTUATION = "，。、：；！？“”（）《》… "
LATIN = "abcdefgXYZ0123456789.,:;!?()éüñçàèìòùáíóúāēīōūǎěǐǒǔǘǜ€"
TRADITIONAL_COMMON = "會議進區黨經濟開發從對應關係這體電動們國時實現學習貫徹藍圖標奮響項"
RARE = "娅鸿皟涓浗鍥姘绀寖鍖哄厷宸ュ濮斾功笔痉秴焙幽宵"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(COMMON + PUNCTUATION + LATIN), max_size=80))
def test_random_clean_text_is_never_repaired(text: str) -> None:
    for repair in REPAIRS:
        assert repair(text) == text


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(COMMON + TRADITIONAL_COMMON + PUNCTUATION + LATIN + RARE),
        max_size=80,
    )
)
def test_random_mixed_text_with_rare_characters_is_never_repaired(text: str) -> None:
    for repair in REPAIRS:
        assert repair(text) == text


QUESTIONS = "??？!"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            COMMON + TRADITIONAL_COMMON + RARE + PUNCTUATION + LATIN + QUESTIONS * 8
        ),
        max_size=80,
    )
)
def test_random_text_with_question_marks_is_never_realigned(text: str) -> None:
    assert fix_shifted_gbk(text) == text


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SENTENCES), st.sampled_from(["gbk-latin1", "utf8-cp1252", "utf8-gb18030"]))
def test_repairs_are_idempotent(sentence: str, damage: str) -> None:
    if damage == "gbk-latin1":
        damaged, repair = browser_cp1252(sentence.encode("gbk")), fix_gbk_as_latin1
    elif damage == "utf8-cp1252":
        damaged, repair = browser_cp1252(sentence.encode()), fix_utf8_as_cp1252
    else:
        damaged, repair = sentence.encode().decode("gb18030", "replace"), fix_utf8_as_gbk
    once = repair(damaged)
    assert repair(once) == once
    for other in REPAIRS:
        assert other(once) == once or once != sentence


# The word model --------------------------------------------------------------------------

WORD_MODEL_SENTENCE = "他说,这项工作要抓紧落实、抓出成效。"


@pytest.mark.parametrize("errors", ["replace", "ignore"])
def test_word_model_picks_the_lost_character(errors: str) -> None:
    # The lost last byte of 说 and of 实 leave 64 candidates each; the pair model alone picks
    # others, the words they make with their neighbours pick 说 and 实.
    damaged = WORD_MODEL_SENTENCE.encode().decode("gbk", errors=errors)
    assert fix_utf8_as_gbk(damaged) == WORD_MODEL_SENTENCE


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        (
            "记者从交通部门获悉,新建道?方\ufffd于年底前通车。",
            "记者从交通部门获悉,新建道路将于年底前通车。",
        ),
        ("我?墙\ufffd继续加大投入,改善农村人居环境。", "我们将继续加大投入,改善农村人居环境。"),
        ("专家表示,?庖患际跤型\ufffd在三年内实现量产。", "专家表示,这一技术有望在三年内实现量产。"),
    ],
)
def test_word_model_picks_the_lost_byte_of_a_shift(damaged: str, clean: str) -> None:
    assert fix_shifted_gbk(damaged) == clean


def test_shift_after_a_byte_dropped_next_to_a_symbol() -> None:
    # ú (A8 B2) is no character of Chinese prose: it hints at a shift where no rare Han
    # character does, and the re-aligned run reads as words (交通部门获悉).
    damaged = "记者从交ú棵呕裣?,新建道路将于年底前通车。"
    assert fix_shifted_gbk(damaged) == "记者从交通部门获悉,新建道路将于年底前通车。"


def test_two_characters_before_the_placeholder_re_align() -> None:
    # 市民表示满意 lost the lead byte of 表: 硎韭 is two characters before the `?`.
    clean = "市民表示满意，工作人员很热情。"
    data = clean.encode("gbk")
    damaged = (data[:4] + data[5:]).decode("gbk", errors="replace").replace("\ufffd", "?")
    assert damaged == "市民硎韭?意，工作人员很热情。"
    assert fix_shifted_gbk(damaged) == clean


@pytest.mark.parametrize(
    "clean", ["★11月1日起，旅客可从广州出发。", "尺寸为15.6英寸×10英寸，售价5999元。"]
)
def test_a_symbol_that_lost_a_byte_comes_back_as_the_one_prose_uses(clean: str) -> None:
    # ★ (E2 98 85) and × (C3 97) lose their last byte to the decoder: ☀ and À share the
    # bytes left, but news prose uses ★ and ×.
    damaged = clean.encode("utf-8").decode("gbk", errors="replace")
    assert "\ufffd" in damaged
    assert repair_text(damaged)[0] == clean


@pytest.mark.parametrize(
    ("before", "damaged_part", "after"),
    [
        ("全力推动脱贫", "攻坚工作取得实效", "，群众满意。"),
        ("记者了解到，没", "有新的资金注入时", "，价格就会上涨。"),
    ],
)
def test_clean_characters_beside_damage_inside_a_line_stay(
    before: str, damaged_part: str, after: str
) -> None:
    # 贫 (C6 B6) and 没 (C3 BB) decode as UTF-8 too (ƶ, û): beside the damage they must not
    # join it.
    damaged = before + damaged_part.encode("utf-8").decode("gbk", errors="replace") + after
    assert fix_utf8_as_gbk(damaged) == before + damaged_part + after


def test_a_line_whose_every_run_lost_a_byte_is_repaired_as_a_whole() -> None:
    # Digits cut the line into runs of two or three characters, each with a byte lost to
    # U+FFFD: none is evidence enough alone, together they read as Chinese.
    clean = "尺寸为15.6英寸，售价5999元。"
    damaged = clean.encode("utf-8").decode("gbk", errors="replace")
    assert damaged.count("\ufffd") >= 3
    assert fix_utf8_as_gbk(damaged) == clean


def test_one_character_before_the_placeholder_re_aligns() -> None:
    # 湖 lost its trail byte: only 汗 stands between the known text and the `?`, and 南湖公园
    # reads as far better words than 南汗?园.
    clean = "镜头下的南湖公园景色优美。"
    data = clean.encode("gbk")
    offset = double_byte_offsets(data)[5] + 1
    damaged = (data[:offset] + data[offset + 1 :]).decode("gbk", errors="replace")
    damaged = damaged.replace("\ufffd", "?")
    assert damaged == "镜头下的南汗?园景色优美。"
    assert fix_shifted_gbk(damaged) == clean


@pytest.mark.parametrize(
    "clean",
    [
        "这是为什么?大家都在问，答案其实很简单。",
        "会议何时召开?目前尚未确定，请关注通知。",
        "问：如何办理居住证?答：携带身份证到派出所。",
    ],
)
def test_a_question_mark_after_common_characters_stays(clean: str) -> None:
    # Re-aligning the characters before a clean `?` gives no better words than they are.
    assert fix_shifted_gbk(clean) == clean


def test_a_short_clean_run_before_a_question_mark_keeps_its_rare_characters() -> None:
    # Two rare characters of a name before a `?` re-align to traditional ones (張愴的): too
    # little evidence in simplified text.
    clean = "他叫喆,来自濮阳?堃垚淼?"
    assert fix_shifted_gbk(clean) == clean


def test_simplified_text_gets_no_traditional_guess() -> None:
    # 退 lost a byte; 髮 (traditional 发) fits the known bytes too, and 发出 is the likelier
    # word, but in simplified text 髮 makes no word.
    clean = "对于传呼机退出舞台的消息，市民表示怀念。"
    damaged = clean.encode("utf-8").decode("gbk", errors="replace")
    assert fix_utf8_as_gbk(damaged) == clean


def test_no_quote_mark_is_guessed_beside_a_space() -> None:
    # The dash of a statistics table lost its last byte: “ and ” fit the known bytes too, but no
    # opening mark stands before a space and no closing one after it.
    damaged = "固定资产投资 — 8.1".encode().decode("gbk", errors="replace")
    repaired = fix_utf8_as_gbk(damaged)
    assert repaired.startswith("固定资产投资 ") and repaired.endswith(" 8.1")
    assert not set(repaired) & set("“”‘’（）《》【】「」『』")


@pytest.mark.parametrize("clean", ["学习《条例》精神，深入基层调研。", "到国（境）外学习。"])
def test_a_lost_lead_byte_closes_the_open_mark(clean: str) -> None:
    # The closing mark's lead byte is lost (shown as ?): its trail byte fits many characters
    # (头 for 》, 些 for ）), but one that closes the open mark is the likely one.
    data = clean.encode("gbk")
    lead = data.index(("》" if "》" in clean else "）").encode("gbk"))
    damaged = (data[:lead] + b"?" + data[lead + 1 :]).decode("gbk", errors="replace")
    assert mojibake.fix_shifted_gbk(damaged) == clean


@pytest.mark.parametrize("clean", ["（三）加强项目资金管理。", "（八）做好安全生产工作；"])
def test_a_lost_lead_byte_opens_the_mark_the_text_closes(clean: str) -> None:
    # The opening bracket's lead byte is lost: its trail byte fits 法, 花 and a hundred others,
    # but the known text after it closes a bracket, so the guess opens one.
    data = clean.encode("gbk")
    damaged = (b"?" + data[1:]).decode("gbk", errors="replace")
    assert mojibake.fix_shifted_gbk(damaged) == clean


@pytest.mark.parametrize(
    "clean",
    [
        # 个 and the closing bracket lost bytes, after ASCII cut the line into stretches: the
        # later stretch is guessed beside the repaired （原标题, not beside its mojibake.
        "（原标题：新区100个重点项目集中签约）",
        "（原标题：我市前三季度GDP增长6.5%）",
        # 元 lost a byte; 六 fits too, but no Chinese digit follows an ASCII one
        "租金5元/小时，押金99元。",
        # the second dash lost a byte: a dash comes in pairs
        "分别是——",
    ],
)
def test_lost_bytes_beside_ascii_and_marks_are_guessed_in_context(clean: str) -> None:
    damaged = clean.encode("utf-8").decode("gbk", errors="replace")
    assert fix_utf8_as_gbk(damaged) == clean


def test_models_read_brackets_as_the_quotes_they_stand_for() -> None:
    # Neither n-gram model saw a bracket or title mark; each reads them as quote marks, so a
    # guessed 》 is no unknown token.
    assert lexicon.word_lm_logp("《条例》") == lexicon.word_lm_logp("“条例”")
    assert lexicon.char_lm_logp("（二）") == lexicon.char_lm_logp("“二”")


def test_a_guess_repeats_a_name_the_document_holds() -> None:
    # 宾 lost its last byte; on its own the models prefer 倾 (兴倾区). A clean paragraph of the
    # same document names 兴宾区, and the guess takes the pairs it makes there.
    damaged = "兴宾区人民政府发布通知。".encode().decode("gbk", errors="replace")
    assert fix_utf8_as_gbk(damaged) != "兴宾区人民政府发布通知。"
    document = "兴宾区老城区改造工程开工。\n" + damaged
    assert fix_utf8_as_gbk(document) == "兴宾区老城区改造工程开工。\n兴宾区人民政府发布通知。"


@pytest.mark.parametrize(
    "clean",
    [
        "会议要求：一是加强组织领导；五是注重宣传引导；六是坚持问题导向，狠抓整改落实。",
        "一是加强组织领导。\n五是注重宣传引导，营造良好氛围。\n六是坚持问题导向，狠抓整改落实。",
        "第三十五条 监察机关依法履职。\n第三十六条 监察机关应当接受监督。",
    ],
)
def test_a_lost_numeral_goes_on_the_enumeration_before_it(clean: str) -> None:
    # 六 lost its last byte, which leaves 公, 八, 兮 as well; the models chose 公是 and 第三十八条.
    # The enumeration before it (五是, 第三十五条), on its line or an earlier one, counts on.
    damaged = clean.encode().decode("gbk", errors="replace")
    assert fix_utf8_as_gbk(damaged) == clean


@pytest.mark.parametrize(
    "clean",
    [
        "济源网讯(记者 郑海波)5月7日,示范区召开会议。",
        "新京报讯（记者 王明）近日，北京市发布通知。",
    ],
)
def test_a_lost_character_that_ends_a_lead_marker_is_guessed_as_it(clean: str) -> None:
    # 讯 lost its bytes; after 济源网 the models read 说 (济源网说), after 新京报 被 (被记者).
    damaged = clean.encode().decode("gbk", errors="replace")
    assert fix_utf8_as_gbk(damaged) == clean


def test_segment_logp_prefers_words() -> None:
    assert lexicon.segment_logp("抓紧落实") > lexicon.segment_logp("抓紧落宝")
    assert lexicon.segment_logp("5月") > lexicon.segment_logp("5有")
    assert lexicon.segment_logp("會議") == lexicon.segment_logp("会议")
    assert lexicon.segment_logp("") == 0.0


def test_set_phrases_jieba_lacks_read_as_words() -> None:
    # 本报讯 and 攻坚克难 are no jieba words; without the phrase table 本+报考 outscored them.
    assert lexicon.segment_logp("本报讯") > lexicon.segment_logp("本报考")
    assert lexicon.segment_logp("攻坚克难，") > lexicon.segment_logp("攻坚克隆，")


@pytest.mark.parametrize("errors", ["replace", "ignore"])
def test_a_lost_character_rare_among_its_candidates_is_guessed_by_the_phrase(errors: str) -> None:
    # 讯 lost two bytes: 533 characters share its first, and by their frequency and pairs 讯 is
    # not among the best 16. The beam keeps WORD_BEAM of them for the models to read with 本报.
    clean = "本报讯 近日，两地签署协议，将在产业方面合作共赢。"
    damaged = clean.encode().decode("gbk", errors=errors)
    assert fix_utf8_as_gbk(damaged) == clean


def _every_split_logp(text: str) -> float:
    """The best score over every split of `text` into dictionary words and single characters."""
    if not text:
        return 0.0
    words = lexicon.word_logp()
    single = words.get(text[0])
    if single is None:
        single = words[""] if mojibake.is_han(text[0]) else lexicon.OTHER_WORD_LOGP
    scores = [single + _every_split_logp(text[1:])]
    for size in range(2, min(lexicon.MAX_WORD, len(text)) + 1):
        if (logp := words.get(text[:size])) is not None:
            scores.append(logp + _every_split_logp(text[size:]))
    return max(scores)


@pytest.mark.parametrize(
    "text",
    [
        "会议强调要认真学习贯彻会议精神",
        "抓紧落实示范区建设,打造精品工程",
        "中华人民共和国国务院",
        "GDP增长",
    ],
)
def test_segment_logp_is_the_best_split(text: str) -> None:
    full_width = text.translate(lexicon.HALF_WIDTH_MARKS)
    assert lexicon.segment_logp(text) == pytest.approx(_every_split_logp(full_width), abs=1e-9)


@pytest.mark.parametrize("sentence", ["他强调,要坚定信心、攻坚克难,确保完成全年目标。"])
def test_a_width_folded_mark_beside_a_guess_reads_as_its_full_width_form(sentence: str) -> None:
    # 难 lost its last byte; read with an unknown `,` after it, the models chose 克隆.
    damaged = sentence.encode().decode("gbk", errors="replace")
    assert fix_utf8_as_gbk(damaged) == sentence


def test_ascii_marks_read_as_full_width_ones() -> None:
    # A width-folded page's 攻坚克难,以决战: the unknown `,` hid the phrase's use from the models.
    for score in (lexicon.segment_logp, lexicon.char_lm_logp, lexicon.word_lm_logp):
        assert score("攻坚克难,以决战") == score("攻坚克难，以决战")
    assert lexicon.char_lm_logp("确保?") != lexicon.char_lm_logp("确保？")


def test_tables_are_loaded_once_and_shared() -> None:
    counts, simplified = lexicon.char_table()
    assert mojibake._COUNTS is counts and mojibake._SIMPLIFIED is simplified
    assert lexicon.word_logp() is lexicon.word_logp()
    assert lexicon.pair_count("领", "导") > 0 and lexicon.pair_count("导", "一") == 0


@pytest.mark.parametrize("sentence", SENTENCES)
def test_word_model_leaves_clean_text_alone(sentence: str) -> None:
    for repair in REPAIRS:
        assert repair(sentence) == sentence
        assert repair(width_fold(sentence)) == width_fold(sentence)


# Short lines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    ["小刚奶奶说，", "重建多边主义", "早在2016年，", "各有关单位：", "上了", "机收进度已过半，"],
)
def test_short_line_that_round_trips_as_utf8_is_repaired(clause: str) -> None:
    # No U+FFFD and no rare character: the strict round trip alone is the evidence.
    damaged = clause.encode("utf-8").decode("gbk")
    assert list(strict_utf8_runs(damaged))
    assert fix_utf8_as_gbk(damaged) == clause


@pytest.mark.parametrize(
    "sentence",
    ["2018年3月20日，记者在11月30日看到", "截至2019年6月底，全省共有", "会议在9月2日召开。"],
)
def test_question_mark_after_a_cut_sequence_is_its_lost_byte(sentence: str) -> None:
    # U+FFFD written back as `?`: `鏈?30` is 月 whose last byte became the `?`, not 月 and a `?`.
    damaged = sentence.encode().decode("gbk", errors="replace").replace("\ufffd", "?")
    assert "?" in damaged
    assert fix_utf8_as_gbk(damaged) == sentence


def test_strict_run_between_guesses_is_evidence() -> None:
    # 鏃ョ湅鍒? is 日看到 with the last byte lost: 日看 decodes strictly, whatever follows.
    damaged = "日看到".encode().decode("gbk", errors="replace").replace("\ufffd", "?")
    assert [decoded for *_, decoded in strict_utf8_runs(damaged)] == ["日看"]
    assert holds_utf8_as_gbk(damaged)


def test_paragraph_does_not_end_with_a_guessed_comma() -> None:
    # ？ and ， share their first two UTF-8 bytes; the lost third one falls before a line break.
    first, second = "大家都在问，这样的店为什么有人气？", "记者走访了几家店。"
    damaged = first.encode("utf-8").decode("gbk", errors="replace")
    assert damaged.endswith("\ufffd")
    repaired = fix_utf8_as_gbk(f"{damaged}\n{second}")
    assert repaired.startswith("大家都在问，这样的店为什么有人气")
    assert repaired.endswith(f"\n{second}")
    assert not repaired.split("\n")[0].endswith("，")


@pytest.mark.parametrize(
    "clean", ["大家都在问，这样的店为什么有人气？", "全市新建学校十二所，新增学位一万个；"]
)
def test_paragraph_at_the_end_of_the_text_does_not_end_with_a_guessed_comma(clean: str) -> None:
    # The last mark lost its third byte at the end of the text. A clause ends inside the line,
    # so it is a paragraph, and a paragraph ends as it does before a line break.
    damaged = clean.encode("utf-8").decode("gbk", errors="replace")
    repaired = fix_utf8_as_gbk(damaged)
    assert repaired[:-1] == clean[:-1]
    assert repaired[-1] not in "，、"


@pytest.mark.parametrize(
    ("before", "clause", "after"),
    [
        ("公交线路将作调整。", "由此给市民出行带来的不便，", "敬请谅解。"),
        ("为确保颗粒归仓，", "全市提前组织农机具检修，", "统筹调度联合收割机。"),
        ("会议指出，", "要加快推进重点项目建设", "，确保按期完工。"),
    ],
)
def test_lost_byte_before_clean_text_is_not_ruled_by_it(
    before: str, clause: str, after: str
) -> None:
    # A clause decoded on its own lost the last byte of its last character at the end of its
    # input; the clean text after it was never decoded with that byte, so its bytes do not
    # tell which byte was lost (they left only U+FF00 or Ｇ, not ，).
    damaged = clause.encode("utf-8").decode("gbk", errors="replace")
    assert damaged.endswith("\ufffd")
    assert fix_utf8_as_gbk(before + damaged + after) == before + clause + after


def test_one_han_character_is_too_little_evidence() -> None:
    # 鍒癝 is UTF-8 到S read as GBK, but 鏈條 (链条) decodes the same way, to 朗l.
    assert fix_utf8_as_gbk("鍒癝") == "鍒癝"
    assert fix_utf8_as_gbk("鏈條") == "鏈條"
    assert not holds_utf8_as_gbk("鏈條")


# Clean real pages -----------------------------------------------------------------------------

REALPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages" / "truth"


def _realpage_paragraphs() -> list[str]:
    """Paragraphs of the real pages' hand-written bodies (third-party text, read in place)."""
    paragraphs: list[str] = []
    for path in sorted(REALPAGES.glob("*.json")):
        body = orjson.loads(path.read_bytes()).get("body") or ""
        paragraphs += [p for p in body.split("\n") if p.strip()]
    return paragraphs


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is absent")
def test_clean_real_page_paragraphs_are_untouched() -> None:
    paragraphs = _realpage_paragraphs()
    assert len(paragraphs) > 500
    # Width-folded, as seed 002 was, the text holds `?` and `,` among Han characters.
    folded_forms = [folded for p in paragraphs if (folded := width_fold(p)) != p]
    changed = [p for p in [*paragraphs, *folded_forms] if repair_text(p)[0] != p]
    assert changed == []
    rng = random.Random(0)
    traditional_forms = [case.damaged for p in paragraphs if (case := traditional(p, rng))]
    for repair in REPAIRS:
        changed = [p for p in [*paragraphs, *traditional_forms, *folded_forms] if repair(p) != p]
        assert changed == [], repair.__name__
    assert not any(holds_utf8_as_gbk(p) for p in traditional_forms if "\ufffd" not in p)


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is absent")
def test_clean_real_page_bodies_come_through_the_page_chain_unchanged() -> None:
    # Whole bodies, paragraph breaks included: the chain a page's text takes leaves them as
    # they are (the broken-lines repair, which is not in it, would join 92 of their breaks).
    bodies = [
        body
        for path in sorted(REALPAGES.glob("*.json"))
        if (body := orjson.loads(path.read_bytes()).get("body"))
    ]
    assert len(bodies) > 50
    changed = [body[:40] for body in bodies if repair_text(body, PAGE_REPAIRS)[0] != body]
    assert changed == []


@pytest.mark.parametrize(
    "sentence", ["开业当天，不少老人早早来到食堂。", "为确保颗粒归仓，荥阳市提前组织农机具。"]
)
def test_shifted_gbk_lost_lead_of_a_comma_leaves_no_replacement_character(sentence: str) -> None:
    # The lead byte of ， is lost to `?`; its trail byte starts no character with the next byte,
    # so the decoder shows U+FFFD and re-aligns at once: one character, a punctuation mark.
    data = sentence.encode("gbk")
    comma = data.index("，".encode("gbk"))
    damaged = (data[:comma] + b"?" + data[comma + 1 :]).decode("gbk", errors="replace")
    assert "?\ufffd" in damaged
    assert fix_shifted_gbk(damaged) == sentence


def test_replacement_characters_alone_are_no_shift() -> None:
    assert fix_shifted_gbk("\ufffd\ufffd\ufffd\ufffd") == "\ufffd\ufffd\ufffd\ufffd"


# Character language model ---------------------------------------------------------------------


def test_character_model_prefers_chinese_word_order() -> None:
    ordered, shuffled = "我们要坚持全面深化改革", "改深化我们全面要坚持革"
    assert lexicon.char_lm_logp(ordered) > lexicon.char_lm_logp(shuffled)
    assert lexicon.char_lm_logp("这4个城市") > lexicon.char_lm_logp("这4一城市")
    assert lexicon.char_lm_logp("通告如下：") > lexicon.char_lm_logp("通告如下，")


def test_character_model_picks_the_lost_measure_word() -> None:
    # 个 (E4 B8 AA) lost its last byte to U+FFFD: 一 (E4 B8 80) is far more frequent alone.
    damaged = "中国还有这4个城市跻身前20".encode().decode("gbk", errors="replace")
    assert fix_utf8_as_gbk(damaged) == "中国还有这4个城市跻身前20"


def test_word_model_reads_word_pairs() -> None:
    assert lexicon.word_lm_logp("有个护士") > lexicon.word_lm_logp("有一护士")
    assert lexicon.word_lm_logp("新年伊始，习近平") > lexicon.word_lm_logp("新年伊始学习近平")
    assert lexicon.word_lm_logp("只用了一年") > lexicon.word_lm_logp("可用了一年")
    # Traditional script reads as its simplified form; unknown characters still score.
    assert lexicon.word_lm_logp("會議") == lexicon.word_lm_logp("会议")
    assert lexicon.word_lm_logp("") == 0.0
    assert lexicon.word_lm_logp("abc") < lexicon.word_lm_logp("ab")


def test_word_model_picks_the_lost_measure_word() -> None:
    # 个 (E4 B8 AA) lost its last byte to U+FFFD; 一 (E4 B8 80) is the frequent one alone.
    sentence = "手术后，有个护士小声告诉她。"
    damaged = sentence.encode().decode("gbk", errors="replace")
    assert "\ufffd" in damaged
    assert fix_utf8_as_gbk(damaged) == sentence


def test_clean_text_never_loads_the_language_models(monkeypatch: pytest.MonkeyPatch) -> None:
    def unexpected() -> None:
        raise AssertionError("a language model was consulted on clean text")

    monkeypatch.setattr(lexicon, "char_lm", unexpected)
    monkeypatch.setattr(lexicon, "word_lm", unexpected)
    for sentence in SENTENCES:
        for repair in REPAIRS:
            assert repair(sentence) == sentence


def test_lost_character_takes_the_best_guess_even_when_rare() -> None:
    # 巩 (B9 AE) lost its lead to `?`; AE and the next lead byte make no character: U+FFFD.
    sentence = "将建立长效管护机制，巩固整治成果，持续提升。"
    data = sentence.encode("gbk")
    at = data.index("巩".encode("gbk"))
    damaged = (data[:at] + b"?" + data[at + 1 :]).decode("gbk", errors="replace")
    assert "?\ufffd固" in damaged
    assert "\ufffd" not in fix_shifted_gbk(damaged)


def test_lost_symbol_on_a_damaged_line_leaves_no_replacement_character() -> None:
    # ★ (E2 98 85) read as GB18030: its last byte and the next digit make no character.
    damaged = "★11月17日及11月18日全天开放".encode().decode("gb18030", errors="replace")
    assert "\ufffd" in damaged
    assert "\ufffd" not in fix_utf8_as_gbk(damaged)


def test_shifted_run_with_a_lost_lead_and_a_replacement_character_is_realigned() -> None:
    # The lead of 在 lost to `?`: 在咆哮 shows one byte off (谂叵) up to a trail the decoder could
    # not use; the rare 咆哮 alone would not pass as plausible Chinese.
    sentence = "喊口号的形式主义仍在咆哮,干实事的志愿小哥依然在行动。"
    data = sentence.encode("gbk")
    at = data.index("在".encode("gbk"))
    damaged = (data[:at] + b"?" + data[at + 1 :]).decode("gbk", errors="replace")
    assert damaged.startswith("喊口号的形式主义仍?谂叵\ufffd")
    assert fix_shifted_gbk(damaged) == sentence


def test_a_run_of_lost_characters_is_no_shift_anchor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Six U+FFFD in a row (an emoji read in the wrong codec) are text lost whole: no shift is
    sought from them (each search costs tens of milliseconds), and the line stays as it is."""
    searched: list[int] = []
    anchored = mojibake._anchored

    def spy(text: str, start: int, *args: object) -> object:
        searched.append(start)
        return anchored(text, start, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(mojibake, "_anchored", spy)
    line = "\ufffd" * 6 + "据介绍，航站楼内部装修及查验设备安装调试完成后，预计十月具备试运营条件。"
    assert fix_shifted_gbk(line) == line
    assert searched == []
    fix_shifted_gbk("工作\ufffd完成")
    assert searched == [2], "a single U+FFFD is still a possible lost byte"
