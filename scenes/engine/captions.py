"""Readable captions: a beat's sentence split into cues, and how long each cue must stay up.

The rules are those professional subtitlers use (and the tests check every chapter against):

- English: at most two lines of 42 characters a cue; at most 20 characters per second for
  any cue and at most 15 for the median one; every cue at least 1.2 s on screen.
- Simplified Chinese: at most two lines of 16 full-width cells (:func:`width`); at most 9
  characters per second, the characters of formulas, numbers and Latin names read at 6 a
  second (they are read slower than Chinese prose); every cue at least 1.5 s on screen.

A long English sentence is split at the strongest boundary that works: between sentences
first, then after a clause (a comma, semicolon, colon or dash), then between words, with the
cuts where the cues come out most even (:func:`_balanced`); a Chinese
one is cut where a dynamic programme finds the fewest cues with the best ends
(:func:`_zh_cues`). Line breaks are explicit (``\\n``), and each line break is balanced so the
two lines are of similar length.

Chinese has no spaces between words, so its words are found by jieba, a word segmenter made
for it (with this lesson's terms added, so 反向传播 or 神经元 are never cut). Chinese text is
never broken inside a word, between a number and its measure word or unit ("5 层", "第 1
层", "2006 年"), inside a formula (a formula longer than a line breaks only after a top-level
"=" or "←", as TeX breaks inline maths), or inside a parenthesis that fits on a line; a cue
never ends inside a parenthesis or a formula.

Characters are counted as subtitlers count them: every character of the cue but its line
breaks (in Chinese, spaces are not counted either). A Chinese cue is also held long enough to
stay under 9 a second counted the strict way (:func:`shown_chars`: its spaces, and each line
break as one), as a reader's tool that joins its lines counts it.

This module knows nothing of manim: :class:`scenes.engine.common.LessonScene` times its beats with
:func:`reading_time` and writes the cues of :func:`split_cues`.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class CaptionRules:
    """The limits for one language, and the pace the beat engine times cues at."""

    line_width: int
    lines: int
    max_cps: float
    median_cps: float
    #: the pace cues are timed at: a little under the limits, so rounding never breaks them
    pace_cps: float
    min_seconds: float = 1.2
    #: characters a second formulas, numbers and Latin names are read at (None: as fast as prose)
    formula_cps: float | None = None

    @property
    def cue_width(self) -> int:
        return self.line_width * self.lines


RULES: dict[str, CaptionRules] = {
    "en": CaptionRules(line_width=42, lines=2, max_cps=20.0, median_cps=15.0, pace_cps=14.0),
    "zh": CaptionRules(line_width=16, lines=2, max_cps=9.0, median_cps=9.0, pace_cps=8.0, min_seconds=1.5,
                       formula_cps=6.0),
}

#: Seconds between one cue's end and the next one's start, so cues never overlap.
CUE_GAP = 0.1

_CJK_RANGES = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK = re.compile(f"[{_CJK_RANGES}]")
# Chinese punctuation that must not start a line, and that must not end one.
_NO_LINE_START = set("，。、；：！？）》」』”’%")
_NO_LINE_END = set("（《「『“‘")
_OPEN, _CLOSE = "(（[《「『“", ")）]》」』”"
#: Characters that make a run of Latin letters, digits and symbols a formula.
_MATH = set("=+−×/←<>≈≤≥∂σΣ‖^_√·'′δηλμ∇∞≪≫")
#: Relations after which a formula too long for one line may break.
_RELATIONS = "=←≈<>≤≥"
#: Binary operators after which a formula still too long may break.
_BINARY = "+−×"


def rules_for(lang: str) -> CaptionRules:
    """The rules of ``lang`` (languages without rules of their own use English's)."""
    return RULES.get(lang, RULES["en"])


def count_chars(cue: str, lang: str) -> int:
    """Characters a viewer reads in ``cue``: all but line breaks (and, in Chinese, spaces)."""
    if lang == "zh":
        return len(re.sub(r"\s", "", cue))
    return shown_chars(cue)


def shown_chars(cue: str) -> int:
    """Characters of ``cue`` counted the strict way: every one, spaces too, each line break as one."""
    return len(cue.replace("\n", " ").strip())


#: The share of the limit a cue is timed at, counted the strict way (rounding never breaks it).
_STRICT_MARGIN = 0.98


def formula_chars(cue: str) -> int:
    """Characters of Chinese ``cue`` read at a formula's pace: the Latin letters, digits and
    symbols between its Chinese text (formulas, numbers, names), spaces not counted."""
    return len(re.sub(f"[\\s{_CJK_RANGES}]", "", cue))


def reading_time(cue: str, lang: str) -> float:
    """Seconds ``cue`` must be on screen to be read at the language's pace (and a formula's,
    where the language has one), under its limit counted the strict way (:func:`shown_chars`),
    and at least the language's shortest time."""
    r = rules_for(lang)
    chars = count_chars(cue, lang)
    strict = shown_chars(cue) / (r.max_cps * _STRICT_MARGIN)
    if r.formula_cps is None:
        return max(r.min_seconds, chars / r.pace_cps, strict)
    maths = formula_chars(cue)
    return max(r.min_seconds, (chars - maths) / r.pace_cps + maths / r.formula_cps, strict)


# ---------- break opportunities ----------

#: Words of this lesson that jieba's general dictionary would cut in two.
ZH_TERMS = (
    "反向传播", "前向传播", "隐藏层", "输出层", "输入层", "神经元", "准确率", "学习率", "激活函数",
    "代价函数", "损失函数", "交叉熵", "梯度消失", "梯度爆炸", "梯度下降", "随机梯度下降", "梯度裁剪",
    "链式法则", "预训练", "逐层预训练", "小批量", "数字图像", "深度网络", "浅层网络", "线性网络",
    "初始权重", "平方根", "平方和", "几何平均", "对数刻度", "记数法", "有效数字", "自编码器",
    "受限玻尔兹曼机", "图形处理器", "循环神经网络", "长短期记忆网络", "记忆元", "细胞状态", "遗忘门",
    "批归一化", "批量归一化", "残差连接", "正方形", "条形图", "百分点", "何恺明", "扇入", "扇出", "上溢", "下溢",
    "随机初始化", "修正线性单元", "学习速度", "落在", "长期使用", "手写数字", "手写数字图像", "训练图像",
    "测试图像", "也就是", "补回来", "柱高", "绝对值", "情况下", "可学习", "学位论文", "下一层", "上一层",
    "前一层", "后一层", "二次代价", "前向", "反向", "最上层", "之和", "之比", "较宽", "开始时", "均方", "均方根",
    "平台期", "中位数", "移动的距离",
)
#: Particles that never start a line: they belong to the word before them.
_PARTICLES = {"的", "了", "着", "吗", "呢", "吧", "啊"}
#: A numeral or demonstrative with its measure word (一个, 每层, 这张): it stays with its noun.
_CLASSIFIED = re.compile("[一两二三四五六七八九十每这那几各某][个张条层步块组根位]")
#: Measure words and units that stay on the line of their number.
_MEASURE = set("层倍年个轮张步章次秒位项种条处时维万")


@functools.cache
def _segmenter():  # noqa: ANN202 - a jieba.Tokenizer (jieba has no type hints)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    for term in ZH_TERMS:
        segmenter.add_word(term)
    return segmenter


def zh_words(text: str) -> list[str]:
    """Chinese ``text`` as jieba cuts it into words, each run of Latin letters, digits and
    symbols (a formula, a number, a Latin term) kept whole and its spaces kept apart."""
    out: list[str] = []
    for run in re.findall(f"[{_CJK_RANGES}]+|[^{_CJK_RANGES}]+", text):
        if _CJK.match(run):
            out.extend(_segmenter().cut(run))
        else:
            out.extend(p for p in re.split(r"^(\s+)|(\s+)$", run) if p)
    return out


def _is_number(atom: str) -> bool:
    """A number, a one-letter index or count standing for one (the l of 第 l 层, the n_in of
    n_in 个输入), or a formula ending in a number (the z = 0 of 在 z = 0 处)."""
    return bool(re.fullmatch(r"[−-]?[\d.,/×⁻⁰¹²³⁴⁵⁶⁷⁸⁹e+%−-]*\d[\d.,%⁰¹²³⁴⁵⁶⁷⁸⁹]*|[A-Za-zℓ𝑙](_[a-z]+)?", atom)
                or (bool(_MATH & set(atom)) and atom[-1].isdigit() and width(atom, "zh") <= 12))


def _glue_numbers(words: list[str]) -> list[str]:
    """A number joined with the measure word after it and a 第 before it (with their spaces)."""
    words = list(words)
    out: list[str] = []
    i = 0
    while i < len(words):
        w, i = words[i], i + 1
        if _is_number(w):
            k = len(out) - (1 if out and out[-1].isspace() else 0)
            if k > 0 and out[k - 1].endswith("第"):
                before = out[k - 1][:-1]
                w = "第" + "".join(out[k:]) + w
                del out[k - 1:]
                if before:
                    out.append(before)
            j = i + 1 if i < len(words) and words[i].isspace() else i
            if j < len(words) and words[j][0] in _MEASURE:  # with the whole word it starts (轮起, 位数)
                w += "".join(words[i:j + 1])
                i = j + 1
        out.append(w)
    return out


def _glue(words: list[str], start: set[str], end: set[str]) -> list[str]:
    """Punctuation that must not start a line (and a particle such as 的 or 了) joined to the
    word before it, and punctuation that must not end a line joined to the word after it."""
    out: list[str] = []
    carry = ""
    for w in words:
        if carry:
            w, carry = carry + w, ""
        if out and w in _PARTICLES and out[-1].isspace() and len(out) > 1:
            out[-2:] = [out[-2] + out[-1] + w]
            continue
        if out and (w[0] in start or w in _PARTICLES or _CLASSIFIED.fullmatch(out[-1])) and not out[-1].isspace():
            out[-1] += w
            continue
        if w[-1] in end:
            carry = w
            continue
        out.append(w)
    if carry:
        out.append(carry)
    return out


def _depth_changes(text: str) -> int:
    return sum(c in _OPEN for c in text) - sum(c in _CLOSE for c in text)


def _glue_brackets(words: list[str], line: float) -> list[str]:
    """A parenthesis that fits on a line joined into one word."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if any(c in _OPEN for c in words[i]) and _depth_changes(words[i]) > 0:
            depth, j = 0, i
            while j < len(words):
                depth += _depth_changes(words[j])
                if depth <= 0:
                    break
                j += 1
            group = "".join(words[i:j + 1])
            if j < len(words) and width(group.strip(), "zh") <= line:
                out.append(group)
                i = j + 1
                continue
        out.append(words[i])
        i += 1
    return out


def _split_formula(atom: str, line: float) -> list[str]:
    """A formula wider than a line cut where TeX breaks inline maths (and Latin words wider than
    a line between their words): after its outermost
    relations ("σ'(z) =" | "σ(z)(1 − σ(z))"), and if a piece is still too wide, after its
    outermost binary operators (+, −, ×), with the spaces between the pieces kept apart."""
    if width(atom, "zh") <= line:
        return [atom]
    if not _MATH & set(atom):  # Latin words (a book's title): between its words
        return [piece for piece in re.split(r"(\s+)", atom) if piece]
    for signs in (_RELATIONS, _BINARY):
        found: list[tuple[int, int]] = []  # (depth, index of the space after the sign)
        depth = 0
        for i, c in enumerate(atom):
            depth += (c in _OPEN) - (c in _CLOSE)
            if c in signs and 0 < i < len(atom) - 2 and atom[i - 1] == " " and atom[i + 1] == " ":
                found.append((depth, i + 1))
        if not found:
            continue
        top = min(d for d, _ in found)
        cuts = [i for d, i in found if d == top]
        pieces = [atom[a:b] for a, b in zip([0] + [i + 1 for i in cuts], cuts + [len(atom)])]
        out: list[str] = []
        for piece in pieces:
            out.extend((out and [" "] or []) + _split_formula(piece, line))
        return out
    return [atom]


def _atoms(text: str, lang: str) -> list[str]:
    """``text`` cut into pieces that are never split: words (and their spaces) in English;
    in Chinese, jieba's words, with a number and its measure word, a formula, and a
    parenthesis that fits on a line each kept whole."""
    if lang == "zh":
        line = rules_for(lang).line_width
        words = _glue(_glue_numbers(zh_words(text)), _NO_LINE_START, _NO_LINE_END)
        words = _glue_brackets(words, line)
        return [piece for w in words for piece in _split_formula(w, line)]
    return re.findall(r"\s+|\S+", text)


def _join(atoms: list[str]) -> str:
    return "".join(atoms).strip()


def width(text: str, lang: str) -> float:
    """How wide ``text`` is on a line: in English its characters; in Chinese the full-width
    cells it fills, as East Asian typesetting counts them (Unicode's East Asian Width, UAX
    #11): a Chinese character or full-width mark is one cell, a Latin letter, digit, space
    or ASCII sign half of one. Signs whose width depends on the font (Greek letters, ×, −,
    ½) count as a whole cell, so a line never runs wider than the limit says."""
    if lang != "zh":
        return len(text)
    return sum(0.5 if unicodedata.east_asian_width(c) in "NaH" else 1.0 for c in text)


#: English words whose number follows them ("layer 1", "epoch 64"): a line break between the two
#: is as bad as one inside brackets.
_COUNTED = {"layer", "layers", "epoch", "epochs", "chapter", "chapters"}

#: How much worse than a break after punctuation a break reads, by where it falls.
_PENALTY = {"en": 3.0, "zh_word": 8.0, "formula": 12.0, "bracket": 30.0}


def _line_breaks(atoms: list[str], lang: str) -> dict[int, float]:
    """Indices i where a line may break before atoms[i] (a break drops whitespace), and how
    much worse each reads than a break after a punctuation mark."""
    out: dict[int, float] = {}
    depth = 0
    for i in range(1, len(atoms)):
        depth += _depth_changes(atoms[i - 1])
        a, before = atoms[i], atoms[i - 1]
        if before.isspace():
            continue  # the break is taken before the space, never after it
        if lang != "zh":
            if a.isspace():  # a line break inside brackets ("(1, | 1)") only where nothing else fits
                out[i] = (0.0 if before[-1] in ",.;:!?" else _PENALTY["en"]) + (_PENALTY["bracket"] if depth > 0
                                                                                else 0.0)
                if before.lower() in _COUNTED and i + 1 < len(atoms) and atoms[i + 1][:1].isdigit():
                    out[i] += _PENALTY["bracket"]  # "layer | 1" reads as two things: as a bracket, last resort
            continue
        if a[0] in _NO_LINE_START or before[-1] in _NO_LINE_END:
            continue
        prev = before
        if a.isspace() and i + 1 < len(atoms):
            a = atoms[i + 1]
        if prev[-1] in "，。；：、！？,.;:!?":
            penalty = 0.0
        elif prev[-1] in _RELATIONS and not _CJK.match(a[0]):
            penalty = _PENALTY["formula"]
        else:
            penalty = _PENALTY["zh_word"]
        out[i] = penalty + (_PENALTY["bracket"] if depth > 0 else 0.0)
    return out


def wrap(text: str, lang: str) -> list[str] | None:
    """``text`` as at most the language's number of lines within its line width, each break
    balanced and as good as the penalties of :func:`_line_breaks` allow; None when it does
    not fit."""
    text = " ".join(text.split()) if lang != "zh" else text.strip()
    found = _wrap_scored(_atoms(text, lang), lang)
    return None if found is None else found[0]


def _reads_on(before: str, after: str, then: str = "") -> float:
    """What a Chinese line break between two atoms costs beyond :func:`_line_breaks`, though
    the text is not cut inside anything: a line ending on a word that waits for what it governs
    (在, 和: :data:`_DANGLING`), a break between two Latin words (a name, a title), and a
    phrase cut from its head (after 的, before 上, after a number's measure word), two numbers
    joined by 和 parted (``then``: what follows ``after``), and a list cut after its 、."""
    cost = _DANGLING_LINE_COST if before.strip() in _DANGLING else 0.0
    if re.search(r"\d$", before.rstrip()) and re.match(r"\s*[和与或]\s*\d", after + then):
        cost += _DANGLING_LINE_COST  # "在 0 | 和 1 之间": two numbers joined by 和 stay on one line
    if re.search(r"[A-Za-z]$", before.rstrip()) and re.match(r"\s*[和与或]\s*[A-Za-z]", after + then):
        cost += _DANGLING_LINE_COST  # "Glorot | 和 Bengio": two names joined by 和 likewise
    if re.search(r"[A-Za-z]$", before.rstrip()) and re.match(r"\s*[A-Za-z]", after):
        cost += _LATIN_LINE_COST
    end, start = before.rstrip(), after.lstrip()
    following = (after + then).lstrip()
    if re.search(r"[A-Za-z]$", end) and following.startswith(_HEADS):
        cost += _HALF_PHRASE_COST  # "tanh | 网络": a Latin name parted from the noun it qualifies
    # "神经元 | k": a noun parted from the letter that names it (after a word, not after a mark: "，| k" is fine)
    if re.match("[\u4e00-\u9fff]", end[-1:]) and re.match(
            rf"[A-Za-zα-ωΓ-Ω](_[A-Za-z]+|\^[A-Za-z])?\s*([{_CJK_RANGES}]|$)", following):
        cost += _HALF_PHRASE_COST
    if re.match(r"[为是]\s*[−-]?\d", start):
        cost += _DANGLING_LINE_COST  # "tanh 网络 | 为 0.32": a number parted from its subject
    if re.match(r"[和与或](?![A-Za-z\d\s])", start):
        cost += _SEAM_COST  # "神经元 | 和图像": a pair cut before its 和 (less bad than a line ending on it)
    if end[-1:] in ("和", "与", "或") and re.match(r"[A-Za-z\d]", following):
        cost += _SEAM_COST  # "tanh 和 | ReLU": ending on 和 costs more than starting with it
    if end in _MODIFIERS or end.endswith(tuple("的" + m for m in _MODIFIERS)):
        cost += _HALF_PHRASE_COST  # "8×8 的小 | 手写数字图像": a modifier parted from its noun
    if re.search(rf"(\d|\b[A-Za-z](_[a-z]+)?)\s*[{''.join(sorted(_MEASURE))}]$", end) and _CJK.match(start[:1] or " "):
        cost += _HALF_PHRASE_COST  # "449 张 | 测试图像": a counted noun parted from its count
    if end.endswith("、"):
        cost += _SEAM_COST  # "Bengio、| Simard": a list cut between its items
    if start.startswith("（") and end[-1:].isalnum():
        cost += _HALF_PHRASE_COST  # "GPU | （图形处理器）": a term parted from its gloss
    word = after.strip()
    opens = (word[:1] in _POSTPOSITIONS and (len(word) == 1 or not _CJK.match(word[1]) or word[1] in _PARTICLES)
             or word.startswith("之"))  # "柱高 | 之比", "输入 | 之和": 之 closes the phrase before it
    if before.rstrip().endswith("的") or opens:
        cost += _HALF_PHRASE_COST  # "第 4 层的 | 学习速度", "图像 | 上的": a phrase cut in two
    return cost


def _wrap_scored(atoms: list[str], lang: str) -> tuple[list[str], float, float] | None:
    """:func:`wrap` of the text made of ``atoms``, with the penalty of the line break it chose
    (0 for one line) and, in Chinese, what :func:`_reads_on` adds to it."""
    r = rules_for(lang)
    text = _join(atoms)
    if width(text, lang) <= r.line_width:
        return [text], 0.0, 0.0
    best: tuple[list[str], float, float] | None = None
    best_score = math.inf
    # two lines (the only case the rules allow beyond one): the most balanced break that fits
    for i, penalty in _line_breaks(atoms, lang).items():
        a, b = _join(atoms[:i]), _join(atoms[i:])
        if not a or not b or width(a, lang) > r.line_width or width(b, lang) > r.line_width:
            continue
        extra = _reads_on(atoms[i - 1], atoms[i], "".join(atoms[i + 1:i + 5])) if lang == "zh" else 0.0
        score = abs(width(a, lang) - width(b, lang)) + penalty + extra
        if score < best_score:
            best, best_score = ([a, b], penalty, extra), score
    return best if r.lines >= 2 else None


def fits(text: str, lang: str) -> bool:
    """Whether ``text`` fits one cue of the language."""
    return wrap(text, lang) is not None


# ---------- splitting into cues ----------

_SENTENCE_END = r"(?<=[.!?])\s+(?=\S)"
_CLAUSE_END = r"(?<=[,;:])\s+(?=\S)|\s+(?=[—–]\s)"


def _split_at(text: str, pattern: str) -> list[str]:
    """``text`` cut where ``pattern`` matches outside brackets: "(1, 1)" is never cut at its comma."""
    pieces, start = [], 0
    for m in re.finditer(pattern, text):
        if _depth_changes(text[:m.start()]) == 0:
            pieces.append(text[start:m.start()])
            start = m.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _split_words(text: str, lang: str) -> list[str]:
    """A phrase too long for one cue, cut between words into the fewest balanced pieces."""
    r = rules_for(lang)
    atoms = _atoms(text, lang)
    allowed = set(_line_breaks(atoms, lang))
    n = math.ceil(width(text, lang) / (r.cue_width * 0.9))
    while n <= len(atoms):
        target = width(text, lang) / n
        pieces: list[str] = []
        start = 0
        for i in range(1, len(atoms)):
            j = i  # the cut is weighed against the piece with the next word in it
            while j < len(atoms) - 1 and atoms[j].isspace():
                j += 1
            trial = _join(atoms[start:j + 1])
            if i in allowed and (width(trial, lang) > target * 1.15 or not fits(trial, lang)):
                pieces.append(_join(atoms[start:i]))
                start = i
        pieces.append(_join(atoms[start:]))
        if all(fits(p, lang) for p in pieces):
            return pieces
        n += 1
    return [text]  # a single unbreakable stretch wider than a cue: keep it whole


def _pack(pieces: list[str], lang: str) -> list[str]:
    """Consecutive pieces joined into one cue while the cue still fits."""
    out: list[str] = []
    for p in pieces:
        if out and fits(out[-1] + " " + p, lang):
            out[-1] = out[-1] + " " + p
        else:
            out.append(p)
    return out


#: A cue shorter than this many characters flashes by: cuts are moved to avoid one.
_SHORT_CUE = 20


def _balanced(pieces: list[str], lang: str) -> list[str]:
    """Consecutive pieces of one sentence joined into as few cues as :func:`_pack` makes, but
    with the cuts where the cues come out most even (least sum of squared widths): a greedy
    pack can leave a last cue of one word ("1.", "it is 0.1.") that flashes by."""
    n = len(_pack(pieces, lang))
    k = len(pieces)
    if n <= 1 or k <= n:
        return _pack(pieces, lang)
    inf = float("inf")
    # best[m][j]: the least cost of the first j pieces in m cues; cut[m][j]: where the last began
    best = [[inf] * (k + 1) for _ in range(n + 1)]
    cut = [[0] * (k + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for m in range(1, n + 1):
        for j in range(m, k + 1):
            for i in range(m - 1, j):
                if best[m - 1][i] == inf:
                    continue
                cue = " ".join(pieces[i:j])
                if not fits(cue, lang):
                    continue
                cost = best[m - 1][i] + width(cue, lang) ** 2
                if cost < best[m][j]:
                    best[m][j], cut[m][j] = cost, i
    if best[n][k] == inf:
        return _pack(pieces, lang)
    out: list[str] = []
    j = k
    for m in range(n, 0, -1):
        i = cut[m][j]
        out.append(" ".join(pieces[i:j]))
        j = i
    return out[::-1]


def _pieces(text: str, lang: str) -> list[str]:
    """A text in a language written with spaces, cut at its sentences, then its clauses, then
    between words, into pieces that each fit a cue."""
    if fits(text, lang):
        return [text]
    out: list[str] = []
    for sentence in _split_at(text, _SENTENCE_END):
        if fits(sentence, lang):
            out.append(sentence)
            continue
        clauses: list[str] = []
        for clause in _split_at(sentence, _CLAUSE_END):
            clauses.extend([clause] if fits(clause, lang) else _split_words(clause, lang))
        cues = _balanced(clauses, lang)
        if min(len(c) for c in cues) < _SHORT_CUE:  # a one-word clause: cut between words instead
            even = _split_words(sentence, lang)
            if len(even) == len(cues) and min(len(c) for c in even) >= _SHORT_CUE:
                cues = even
        out.extend(cues)
    return out


def split_cues(text: str, lang: str) -> list[str]:
    """``text`` as cues that each fit the language's lines, line breaks written as ``\\n``."""
    text = text.strip()
    if not text:
        return []
    if lang == "zh":
        return _zh_cues(text)
    text = " ".join(text.split())
    cues = []
    for piece in _balanced(_pieces(text, lang), lang):
        lines = wrap(piece, lang)
        cues.append("\n".join(lines) if lines else piece)
    return cues


#: What a Chinese cue boundary costs, by what ends the cue before it: the end of a sentence,
#: of a clause, or only of a word (the sentence then runs on into the next cue).
_CUE_END = {"sentence": 0.0, "clause": 3.0, "word": 30.0}
#: What each cue costs (fewer cues read more calmly), and a fragment of fewer than
#: ``_FRAGMENT`` characters on top: it would flash by.
_PER_CUE, _FRAGMENT, _FRAGMENT_COST = 20.0, 10, 30.0
#: What a cue boundary or a line break inside a parenthesis or a formula costs.
_INSIDE = 100.0
#: Words a cue must not end on (a preposition or conjunction waiting for what it governs), and
#: what such an end costs on top of a word end.
_DANGLING = ("从", "在", "或", "和", "与", "及", "对", "把", "向", "被", "由", "给出", "而", "但", "是", "到", "即",
             "只", "那", "这", "每", "每个", "设想", "这些", "那些", "它们", "落在", "使", "乘以", "留出", "超过",
             "按", "改用", "预测", "实测")
_DANGLING_COST = 40.0
#: What a cue does not end on either: a list's 、 (it joins its items), 的 and 个 (they wait for a noun).
_CUE_DANGLING = (*_DANGLING, "的", "、", "个")
#: What a line ending on such a word, or a line break between two Latin words, costs.
_DANGLING_LINE_COST, _LATIN_LINE_COST = 10.0, 20.0
#: Words that close a phrase a noun opened (图像上, 网络里): a line should not start with one; and
#: what a line break after 的 or before one of these costs, a phrase parted from its head.
_POSTPOSITIONS = set("上里中内")
_HALF_PHRASE_COST = 10.0
#: Nouns a Latin name qualifies (tanh 网络, ReLU 函数, Xavier 初始化): a line does not start with
#: one after that name; and one-character modifiers a line does not end on (的小 | 图像).
_HEADS = ("网络", "函数", "初始化", "神经元", "层")
_MODIFIERS = ("小", "大")
#: What a line break inside a list, after its 、, costs.
_SEAM_COST = 4.0


#: A cue that ends a sentence and then opens the next with fewer than ``_RUN_ON`` characters
#: ("……。那为什么多年来，") leaves that opening hanging, and one that opens with the last few
#: characters of a sentence the cue before began ("ReLU。有了……") leaves that tail behind:
#: what such a cue costs on top.
_RUN_ON, _RUN_ON_COST = 12, 25.0


def _runs_on(atoms: list[str]) -> bool:
    """Whether a cue's text goes on for a few characters past a sentence end inside it."""
    text = "".join(atoms).rstrip()
    ends = [i for i, ch in enumerate(text[:-1]) if ch in "。！？"]
    return bool(ends) and count_chars(text[ends[-1] + 1:], "zh") < _RUN_ON


def _tail_first(atoms: list[str]) -> bool:
    """Whether a cue's text opens with the few last characters of a sentence and goes on past it."""
    text = "".join(atoms).rstrip()
    ends = [i for i, ch in enumerate(text[:-1]) if ch in "。！？"]
    return bool(ends) and count_chars(text[:ends[0] + 1], "zh") < _RUN_ON


def _zh_cues(text: str) -> list[str]:
    """Chinese ``text`` cut into cues by dynamic programming over its word boundaries: the
    cut with the least total cost, where each cue costs :data:`_PER_CUE` (and a fragment
    more), the squares of the cues' lengths (even cues read best), each cue boundary what
    ends the cue before it (:data:`_CUE_END`), and each line break its penalty
    (:func:`_line_breaks`). A boundary or line break inside a parenthesis or a formula costs
    so much that it is taken only where nothing else fits."""
    atoms = _atoms(text, "zh")
    breaks = _line_breaks(atoms, "zh")
    allowed = [0, *sorted(breaks), len(atoms)]
    best: dict[int, tuple[float, list[list[str]]]] = {0: (0.0, [])}
    for b in allowed[1:]:
        end = atoms[b - 1].rstrip()[-1:]
        kind = "sentence" if end in "。！？" else "clause" if end in "，；：,;:" else "word"
        boundary = 0.0 if b == len(atoms) else (
            _CUE_END[kind] + (_INSIDE if breaks[b] >= _PENALTY["formula"] else 0.0)
            + (_DANGLING_COST if kind == "word" and atoms[b - 1].rstrip().endswith(_CUE_DANGLING) else 0.0)
            + (_DANGLING_COST if atoms[b].lstrip().startswith("（") else 0.0))  # a parenthesis stays with its word
        options = []
        for a in allowed:
            if a >= b or a not in best:
                continue
            wrapped = _wrap_scored(atoms[a:b], "zh")
            if wrapped is None:
                continue
            lines, penalty, extra = wrapped
            chars = count_chars("".join(lines), "zh")
            cost = (best[a][0] + _PER_CUE + (_FRAGMENT_COST if chars < _FRAGMENT else 0.0) + 0.01 * chars ** 2
                    + boundary + (_INSIDE if penalty >= _PENALTY["formula"] else penalty) + extra
                    + (_RUN_ON_COST if kind != "sentence" and b < len(atoms) and _runs_on(atoms[a:b]) else 0.0)
                    + (_RUN_ON_COST if a > 0 and not atoms[a - 1].rstrip().endswith(("。", "！", "？"))
                       and _tail_first(atoms[a:b]) else 0.0))
            options.append((cost, best[a][1] + [lines]))
        if options:
            best[b] = min(options, key=lambda o: o[0])
    if len(atoms) not in best:
        return [text]  # one word wider than a cue: shown whole
    return ["\n".join(lines) for lines in best[len(atoms)][1]]


@dataclass(frozen=True)
class CueCheck:
    """How one cue measures against its language's rules."""

    text: str
    seconds: float
    chars: int
    cps: float
    lines: int
    #: the widest line (in Chinese, in full-width cells: see :func:`width`)
    widest: float
    #: seconds the cue needs at the language's reading limits (its formulas at their own)
    needs: float
    #: characters per second counted the strict way (:func:`shown_chars`)
    strict_cps: float = 0.0


def measure(text: str, seconds: float, lang: str) -> CueCheck:
    """One written cue (with its ``\\n`` line breaks) as the rules measure it."""
    chars = count_chars(text, lang)
    lines = text.split("\n")
    r = rules_for(lang)
    maths = formula_chars(text) if r.formula_cps else 0
    needs = (chars - maths) / r.max_cps + (maths / r.formula_cps if r.formula_cps else 0.0)
    return CueCheck(text, seconds, chars, chars / seconds if seconds > 0 else math.inf, len(lines),
                    max(width(line, lang) for line in lines), needs,
                    shown_chars(text) / seconds if seconds > 0 else math.inf)


def problems(cues: list[tuple[str, float]], lang: str) -> list[str]:
    """Every way the cues ``(text, seconds on screen)`` break the language's rules."""
    r = rules_for(lang)
    out = []
    measured = [measure(t, s, lang) for t, s in cues]
    for c in measured:
        where = repr(c.text)
        if c.lines > r.lines:
            out.append(f"{where}: {c.lines} lines (at most {r.lines})")
        if c.widest > r.line_width:
            unit = "cells" if lang == "zh" else "characters"
            out.append(f"{where}: a line of {c.widest:g} {unit} (at most {r.line_width})")
        if c.seconds < r.min_seconds - 1e-3:
            out.append(f"{where}: on screen {c.seconds:.2f} s (at least {r.min_seconds})")
        if c.cps > r.max_cps + 1e-3:
            out.append(f"{where}: {c.cps:.1f} characters/s (at most {r.max_cps})")
        elif c.strict_cps > r.max_cps + 1e-3:
            out.append(f"{where}: {c.strict_cps:.1f} characters/s counting its spaces and line breaks "
                       f"(at most {r.max_cps})")
        elif r.formula_cps and c.seconds < c.needs - 1e-3:
            out.append(f"{where}: on screen {c.seconds:.2f} s, its formulas need {c.needs:.2f} s "
                       f"(read at {r.formula_cps:g} characters/s)")
    if measured:
        rates = sorted(c.cps for c in measured)
        median = rates[len(rates) // 2] if len(rates) % 2 else (rates[len(rates) // 2 - 1] + rates[len(rates) // 2]) / 2
        if median > r.median_cps + 1e-3:
            out.append(f"median {median:.1f} characters/s (at most {r.median_cps})")
    return out
