"""Dates, date ranges and issue periods as newsletters write them. No Django import.

Two entry points:

* ``find_period(text)`` returns the period a newsletter covers ("October - December 2020",
  "Q1 2019", "Spring 2021", ...).
* ``find_dates(text, period=...)`` returns every date expression: single days, ranges,
  lists of separate days, months and quarters, with an optional time and time zone.

How it works: the text is copied with odd spaces and dashes made plain (one character for
one character, so offsets stay valid) and with URLs, e-mail addresses, ISBNs and phone
numbers blanked out.  A handful of regular expressions then propose candidates ("14-15
December 2020", "May 20 - 22", "November 2020", ...); the longest ones win where they
overlap.  Neighbouring candidates joined by a dash or "to"/"until"/"al"/"au" become one
range ("30 April - 11 May 2021", "November 2020 - March 2021").  Missing years are filled
from the other end of a range, then from the newsletter's period, then from default_year.

Choices worth knowing:

* All-numeric dates are read day first ("14/12/2020" is 14 December).  With a slash, a
  date that only makes sense month first ("12/14/2020") is read that way, at lower
  confidence.
* English "and"/"&" between day numbers names separate days ("3 & 5 November"); after
  "between" it closes a range ("between 2 and 4 May").
* A bare year is never an event date ("Agenda 2030"); find_period uses one only as a
  last resort.
* "Winter 2020" is December 2020 to February 2021.
* find_dates never returns precision "year"; seasons only count in find_period.

Not handled: ISO date-times ("2020-12-14T10:00"), two-digit years ("14.12.20"), weekday
ranges ("Monday to Friday"), relative dates ("next week"), "noon"/"midday", and a count
right after a month name ("In October 15 countries ...") reads as a date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from .text import fold

__all__ = ["MONTH_NAMES", "DateHit", "Period", "find_dates", "find_period", "parse_date_expression"]


@dataclass(frozen=True)
class Period:
    start: date  # first day of the period
    end: date  # last day of the period
    label: str  # the text as written, whitespace-normalised
    span: tuple[int, int]  # character offsets in the input text


@dataclass(frozen=True)
class DateHit:
    start: date
    end: date  # == start for a single day
    days: tuple[date, ...]  # every day the text names; () for month/quarter precision or long ranges
    precision: str  # "day", "month", "quarter" or "year"
    time: time | None
    end_time: time | None
    timezone: str | None  # "UTC-06:00" style, or None
    span: tuple[int, int]
    text: str
    year_inferred: bool
    confidence: float


# Longest day range that still lists every day in DateHit.days.
MAX_LISTED_DAYS = 62
# How far into the text find_period looks.
PERIOD_WINDOW = 3000


# --------------------------------------------------------------------------- vocabulary


def _plain(word: str) -> str:
    """Lower case, without accents or a trailing dot: the key for the word tables."""
    return fold(word.lower().rstrip("."))


# month -> (full names, abbreviations); English, Spanish, French, Portuguese.
_MONTH_WORDS = {
    1: ("january enero janvier janeiro", "jan ene janv"),
    2: ("february febrero février fevereiro", "feb febr fév févr fev fevr"),
    3: ("march marzo mars março", "mar"),
    4: ("april abril avril", "apr abr avr"),
    5: ("may mayo mai maio", ""),
    6: ("june junio juin junho", "jun"),
    7: ("july julio juillet julho", "jul juil"),
    8: ("august agosto août", "aug"),
    9: ("september septiembre setiembre septembre setembro", "sep sept"),
    10: ("october octubre octobre outubro", "oct"),
    11: ("november noviembre novembre novembro", "nov"),
    12: ("december diciembre décembre dezembro", "dec déc dic dez"),
}
# Abbreviations that are also everyday words ("5 out of 10", "we set 2020 ..."): accepted
# only inside a full day-month-year date.
_RISKY_MONTHS = {"ago": 8, "set": 9, "out": 10}
# English month names that are also verbs; lower-case ones need a year to count.
_VERB_MONTHS = {"may", "march", "mar"}
# Words whose accent-free spelling means something else ("marco" is Spanish for frame).
_NO_PLAIN_VARIANT = {"março"}

_MONTH_OF: dict[str, int] = {}
_full_words: list[str] = []
_abbr_words: list[str] = []
for _num, (_full, _abbr) in _MONTH_WORDS.items():
    for _group, _words in ((_full_words, _full), (_abbr_words, _abbr)):
        for _w in _words.split():
            for _variant in {_w} if _w in _NO_PLAIN_VARIANT else {_w, _plain(_w)}:
                _MONTH_OF[_plain(_variant)] = _num
                _group.append(_variant)
for _w, _num in _RISKY_MONTHS.items():
    _MONTH_OF[_w] = _num
    _abbr_words.append(_w)
_FULL_MONTHS = {_plain(w) for w in _full_words}
#: Every full month name the importer knows (English, Spanish, French, Portuguese), lower case,
#: accents off: the one list of month names (_MONTH_WORDS) as other modules use it.
MONTH_NAMES: tuple[str, ...] = tuple(sorted(_FULL_MONTHS))


def _alternation(words, suffix=""):
    return "|".join(re.escape(w) + suffix for w in sorted(set(words), key=len, reverse=True))


_MONTH = (
    r"(?<!\w)(?:" + _alternation(_full_words) + "|" + _alternation(_abbr_words, r"\.?") + r")(?![^\W\d_])"
)

_WEEKDAY_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday "
    "lunes martes miércoles jueves viernes sábado domingo "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira"
).split()
_WEEKDAY_ABBR = "mon tue tues wed thu thur thurs fri sat sun".split()
_WEEKDAY = (
    r"(?<!\w)(?:"
    + _alternation({w for x in _WEEKDAY_WORDS for w in (x, _plain(x))})
    + "|"
    + _alternation(_WEEKDAY_ABBR, r"\.?")
    + r")(?![^\W\d_])"
)

_QUARTER_WORDS = {
    1: "first 1st primer primero premier 1er primeiro",
    2: "second 2nd segundo deuxième deuxieme 2e 2ème",
    3: "third 3rd tercer tercero troisième troisieme 3e 3ème terceiro",
    4: "fourth 4th cuarto quatrième quatrieme 4e 4ème quarto",
}
_QUARTER_OF = {_plain(w): q for q, ws in _QUARTER_WORDS.items() for w in ws.split()}

# season -> first month; each season lasts three months.
_SEASON_OF = {
    "spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12,
    "primavera": 3, "verano": 6, "otono": 9, "invierno": 12,
    "printemps": 3, "ete": 6, "automne": 9, "hiver": 12,
    "verao": 6, "outono": 9, "inverno": 12,
}  # fmt: skip
_SEASON_WORDS = list(_SEASON_OF) + ["otoño", "été", "verão"]

# Fixed offsets, in minutes, for the zone abbreviations partners use.
_ZONE_MINUTES = {
    "UTC": 0, "GMT": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120, "WAT": 60,
    "EET": 120, "EEST": 180, "CAT": 120, "SAST": 120, "EAT": 180, "MSK": 180, "GST": 240,
    "PKT": 300, "IST": 330, "NPT": 345, "ICT": 420, "WIB": 420, "SGT": 480, "HKT": 480,
    "PHT": 480, "AWST": 480, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
    "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "HST": -600,
    "BRT": -180, "ART": -180, "CLT": -240, "COT": -300, "PET": -300,
}  # fmt: skip


# --------------------------------------------------------------------------- patterns

_YEAR = r"(?:19|20)\d{2}(?![\w:%]|[.,]\d)"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th|er|º|°|ª)?(?![\w:%]|[.,]\d)"
# Between two day numbers: a range ...
_RANGE_WORDS = r"to|until|till|through|thru|al|a|au|à|até|ao|hasta|jusqu'au"
_RSEP = r"(?:\s*-\s*|\s+(?:" + _RANGE_WORDS + r")\s+(?:(?:the|el|le|o)\s+)?)"
# ... or a list.
_CONJ = r"(?:&|(?:and|y|et|e)(?=\s))\s*(?:(?:the|el|le|o)\s+)?"
_DAYS = rf"{_DAY}(?:{_RSEP}{_DAY}|(?:\s*,\s*{_DAY})*\s*,?\s*{_CONJ}{_DAY})?"
_SEP_DM = r"(?:\.?\s+(?:(?:of|de)\s+)?|-)"
_SEP_MY = r"(?:\s*,\s*|\s+(?:(?:of|de|del)\s+)?|-)"
_PREFIX = r"(?:from|between|del|de|du|desde(?:\s+el)?|entre(?:\s+(?:el|le|o))?)\s+(?:the\s+)?"

_FLAGS = re.IGNORECASE

# "14 December 2020", "Monday, 14th of December", "24-26 November", "del 24 al 26 de noviembre de 2020"
_P_DAY_FIRST = re.compile(
    rf"(?<![\w/:.+])(?=\w)(?P<wd>{_WEEKDAY},?\s+(?:the\s+)?)?(?P<pre>{_PREFIX})?(?P<days>{_DAYS})"
    rf"{_SEP_DM}(?P<mon>{_MONTH})(?:{_SEP_MY}(?P<y>{_YEAR}))?",
    _FLAGS,
)
# "December 14, 2020", "May 20 - 22", "November 3 & 5, 2020"
_P_MONTH_FIRST = re.compile(
    rf"(?<!\w)(?=[^\W\d_])(?P<wd>{_WEEKDAY},?\s+)?(?P<pre>(?:from|between)\s+)?(?P<mon>{_MONTH})\s+(?:the\s+)?"
    rf"(?P<days>{_DAYS})(?:(?:\s*,\s*|\s+)(?P<y>{_YEAR}))?",
    _FLAGS,
)
# "November 2020", "noviembre de 2020"
_P_MONTH_YEAR = re.compile(rf"(?P<mon>{_MONTH}){_SEP_MY}(?P<y>{_YEAR})", _FLAGS)
# "October" alone: kept only after "in", "during", ... or as one end of a range.
_P_MONTH = re.compile(rf"(?P<mon>{_MONTH})", _FLAGS)
# "2020-12-14", "2020/12/14"
_P_ISO = re.compile(
    r"(?<![\w/.\-:])(?P<y>(?:19|20)\d{2})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\w]|[-/.:]\d)"
)
# "14.12.2020", "14/12/2020", "14-12-2020"
_P_NUMERIC = re.compile(
    r"(?<![\w/.\-:])(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?![\w]|[-/.:]\d)"
)
# "Q1 2021", "first quarter of 2021", "1er trimestre 2021", "2021 Q1"
_P_QUARTER = re.compile(
    r"(?<!\w)(?:Q(?P<qn>[1-4])|(?P<qw>" + _alternation(w for ws in _QUARTER_WORDS.values() for w in ws.split())
    + rf")\s+(?:quarter|trimestre))(?:\s*(?:of|de|del)\s+|\s*[,/-]?\s*)(?P<y>{_YEAR})"
    rf"|(?<![\w/.-])(?P<y2>{_YEAR})\s*[-/ ]?\s*Q(?P<qn2>[1-4])(?!\w)",
    _FLAGS,
)
# "Spring 2021", "Winter 2020/21" (periods only)
_P_SEASON = re.compile(
    r"(?<!\w)(?P<sea>" + _alternation(_SEASON_WORDS) + r")(?![^\W\d_])\s+(?:(?:of|de|del)\s+)?"
    rf"(?P<y>{_YEAR})(?:\s*[/-]\s*(?P<y2>(?:19|20)?\d{{2}})(?!\d))?",
    _FLAGS,
)
_P_BARE_YEAR = re.compile(r"(?<![\w/.\-])(?:19|20)\d{2}(?![\w]|[-/.]\d)")
# A year that is part of a name ("Agenda 2030", "2030 Agenda", "Horizon 2020") says nothing about the issue.
_NAME_BEFORE_YEAR = re.compile(r"(?<!\w)(?:agenda|vision|horizon|strategy|plan|expo)\s*$", _FLAGS)
_NAME_AFTER_YEAR = re.compile(r"\s*agenda(?!\w)", _FLAGS)

_RANGE_IN_DAYS = re.compile(r"-|\b(?:" + _RANGE_WORDS + r")\b", _FLAGS)
_NUMBER = re.compile(r"\d+")
# Words before a bare month name that make it a date ("in October", "mid-May").
_MONTH_CUE = re.compile(
    r"(?:(?<!\w)(?:in|during|since|until|till|by|through|throughout|before|after|early|late|mid|"
    r"en|em|durante|desde|hasta|depuis|dès|end\s+of|beginning\s+of|start\s+of|middle\s+of|"
    r"(?:finales|principios|mediados|inicios|fin|début|fim|início|final)\s+(?:de|d')|"
    r"(?:a\s+)?partir\s+de)\s+(?:(?:the\s+month\s+of|el\s+mes\s+de|le\s+mois\s+d[e']|o\s+m[eê]s\s+de)\s+)?"
    r"|(?<!\w)mid-)$",
    _FLAGS,
)
# Gap text that joins two date expressions into a range.
_JOIN = re.compile(
    r"\s*-\s*|\s+(?:" + _RANGE_WORDS + r"|and|y|et|e)\s+(?:(?:the|el|le|o)\s+)?|\s*/\s*", _FLAGS
)
_RANGE_LEAD = re.compile(r"(?<!\w)(?:from|between|del|desde|du|entre|de)\s+$", _FLAGS)

# Times: "4:00 pm", "9 a.m.", "15h00", "15h", "15.00 hrs", "10:00 horas".
_MERIDIEM = r"[ap]\.?\s?m\.?(?![^\W\d_])"


def _time_pattern(p: str) -> str:
    return (
        rf"(?P<{p}all>(?<![\w:.])(?P<{p}H>[01]?\d|2[0-3])(?![\d])"
        rf"(?:\s?(?P<{p}sep>[:.hH])\s?(?P<{p}M>[0-5]\d)(?!\d))?"
        rf"(?:\s*(?P<{p}mer>{_MERIDIEM}))?"
        rf"(?P<{p}suf>\s*(?:hrs?|horas|heures|hs)\b\.?|h(?![^\W\d_]))?)"
    )


_TIME_SEP = r"(?:\s*-\s*|\s+(?:to|until|till|and|a|à|às|al|ao|até|hasta|jusqu'à)\s+(?:(?:las|les)\s+)?)"
_ZONE_CORE = (
    r"(?:(?:UTC|GMT)\s?[+\-]\s?\d{1,2}(?:[:.]?\d{2})?(?!\d)|(?:UTC|GMT)(?![\w+\-])|(?-i:"
    + _alternation(_ZONE_MINUTES)
    + r")(?!\w))"
)
_ZONE_LOCAL = (
    r"(?:(?:[^\W\d_][\w'.\-]*\s+){1,3}time|hora\s+(?:local|de\s+[^\W\d_]+(?:\s+[^\W\d_]+){0,2})"
    r"|heure\s+(?:locale|de\s+[^\W\d_]+)|hor[áa]rio\s+de\s+[^\W\d_]+(?:\s+[^\W\d_]+){0,2})"
)
_ZONE = (
    r"(?P<zone>\s*(?:\(\s*(?:" + _ZONE_CORE + "|" + _ZONE_LOCAL + r")(?:\s*[,/]\s*" + _ZONE_CORE + r")?\s*\)"
    r"|" + _ZONE_CORE + r"(?:\s*\(\s*(?:" + _ZONE_CORE + "|" + _ZONE_LOCAL + r")\s*\))?"
    r"|(?-i:(?:[A-Z][a-z]+\s+){1,3})time\b))?"
)
_TIME_BLOCK = rf"{_time_pattern('a')}(?:{_TIME_SEP}{_time_pattern('b')})?{_ZONE}"
# Time after the date: "October 30, 2020. 4:00 pm (UTC -6)", "14 December 2020, 10:00-12:00 CET".
_P_TIME_AFTER = re.compile(
    r"(?:\s*[,;|·•–—]\s*|\s*\.\s+|\s*-\s*|\s+)(?P<par>\(\s*)?"
    r"(?:(?:time|hora|heure|horario|horário)\s*:\s*)?"
    r"(?:(?:(?P<at>at|à|às|a\s+las|a\s+la|de\s+las|desde\s+las)|from|starting\s+at|@|de|dès)\s+)?"
    rf"{_TIME_BLOCK}(?(par)\s*\))",
    _FLAGS,
)
# Time before the date: "4:00 pm (UTC -6), 30 October 2020", "at 10:00 on 14 December".
_P_TIME_BEFORE = re.compile(rf"{_TIME_BLOCK}\s*[,-]?\s*(?:(?:on|le|el|the|o)\s+)?\Z", _FLAGS)
_ZONE_OFFSET = re.compile(r"(?:UTC|GMT)\s?([+\-])\s?(\d{1,2})(?:[:.]?(\d{2}))?", _FLAGS)
_ZONE_ZERO = re.compile(r"(?<![A-Za-z])(?:UTC|GMT)(?![A-Za-z])", _FLAGS)
_ZONE_ABBR = re.compile(r"(?<![A-Za-z])(" + _alternation(_ZONE_MINUTES) + r")(?![A-Za-z])")

# Things that look numeric but are never dates; blanked before the search.
_MASKS = [
    re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'\])]+", _FLAGS),
    re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?<![\w.])(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"'\])]*", _FLAGS),
    re.compile(r"\b(?:e-?)?IS[BS]N(?:-1[03])?\s*:?\s*[\dXx][\dXx\- ]{6,}[\dXx]", _FLAGS),
    re.compile(r"\bdoi\s*:?\s*10\.\d{4,9}/\S+|\b10\.\d{4,9}/[^\s\])]+", _FLAGS),
    re.compile(
        r"\b(?:tel|phone|telephone|fax|mobile|mob|cell|t[ée]l[ée]phone|tel[ée]fono|telefone|tfno|whatsapp)\.?"
        r"\s*(?:\(\w{1,8}\))?\s*:?\s*[+(\d][\d\s().\-/]{5,}\d",
        _FLAGS,
    ),
    re.compile(r"(?<![\w+])\+\d{1,3}[\s.\-]?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,4}(?:[\s.\-]\d{2,4}){1,4}(?!\d)"),
]
_SPACES = dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                               "\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"), " ")  # fmt: skip
_SPACES.update(dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"))
_SPACES.update({ord("\u2019"): "'", ord("\u02bc"): "'"})
_ODD_CHARS = re.compile("[" + "".join(map(chr, _SPACES)) + "]")
_BARRIER = "\x00"
_BLANK_LINE = re.compile(r"\n(?=[ \t\r]*\n)")


def _working_copy(text: str) -> str:
    """Same length as text: plain spaces and dashes, masked non-dates, blank lines as barriers."""
    work = _ODD_CHARS.sub(lambda m: _SPACES[ord(m.group())], text)
    work = _BLANK_LINE.sub(_BARRIER, work)
    for pattern in _MASKS:
        work = pattern.sub(lambda m: _BARRIER * len(m.group()), work)
    return work


# --------------------------------------------------------------------------- candidates

_RANK = {"day": 0, "month": 1, "quarter": 2, "season": 2, "year": 3}


@dataclass
class _Cand:
    s: int
    e: int
    kind: str  # day | list | range | month | quarter | season
    y1: int | None
    m1: int
    d1: int | None
    y2: int | None
    m2: int
    d2: int | None
    prec: str
    conf: float
    days: tuple[int, ...] = ()
    weak: bool = False  # a bare month name: dropped unless it becomes one end of a range
    joined: bool = False  # built from two neighbours
    invalid: bool = False  # looks like a date but is none ("31.13.2020"); still claims its text


def _coarser(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b


def _month_token(token: str) -> int:
    return _MONTH_OF[_plain(token)]


def _is_risky(token: str) -> bool:
    return _plain(token) in _RISKY_MONTHS


def _needs_year(token: str) -> bool:
    """'may' and 'march' in lower case read as verbs unless a year follows."""
    return token.rstrip(".") in _VERB_MONTHS


def _dash_attached(w: str, pos: int) -> bool:
    """True for '19' in 'COVID-19 ...' or '14' in 'No. 2020-14': a number glued by a hyphen
    to a word that is not a month name ('April-11 May' is fine)."""
    if pos < 2 or w[pos - 1] != "-" or not w[pos - 2].isalnum():
        return False
    word = re.search(r"[^\W\d_]+\.?$", w[max(0, pos - 16) : pos - 1])
    return not (word and _plain(word.group()) in _MONTH_OF)


def _day_group(m: re.Match, w: str, y: int | None, mon: int, token: str, month_first: bool) -> _Cand | None:
    if y is None and (_is_risky(token) or _needs_year(token)):
        return None
    if not month_first and not m["wd"] and not m["pre"] and _dash_attached(w, m.start("days")):
        return None
    days_text = m["days"]
    nums = [int(n) for n in _NUMBER.findall(days_text)]
    pre = (m["pre"] or "").lower()
    conf = 0.95
    if len(nums) == 1:
        kind, d1, d2, days = "day", nums[0], nums[0], ()
    elif _RANGE_IN_DAYS.search(days_text) or pre.startswith(("between", "entre")):
        kind, d1, d2, days = "range", nums[0], nums[-1], ()
    else:
        kind, d1, d2, days = "list", min(nums), max(nums), tuple(sorted(set(nums)))
    # The span starts at the weekday if written, at "from"/"between" for ranges, else at the date itself.
    if m["wd"]:
        start = m.start()
    elif m["pre"] and kind == "range":
        start = m.start("pre")
    else:
        start = m.start("mon" if month_first else "days")
    return _Cand(start, m.end(), kind, y, mon, d1, y, mon, d2, "day", conf, days=days)


def _h_day_first(m: re.Match, w: str) -> _Cand | None:
    token = m["mon"]
    y = int(m["y"]) if m["y"] else None
    return _day_group(m, w, y, _month_token(token), token, month_first=False)


def _h_month_first(m: re.Match, w: str) -> _Cand | None:
    token = m["mon"]
    y = int(m["y"]) if m["y"] else None
    return _day_group(m, w, y, _month_token(token), token, month_first=True)


def _h_month_year(m: re.Match, w: str) -> _Cand | None:
    token = m["mon"]
    if _is_risky(token):
        return None
    mon, y = _month_token(token), int(m["y"])
    return _Cand(m.start(), m.end(), "month", y, mon, None, y, mon, None, "month", 0.85)


def _h_month(m: re.Match, w: str) -> _Cand | None:
    token = m["mon"]
    if _is_risky(token):
        return None
    mon = _month_token(token)
    cued = _plain(token) in _FULL_MONTHS and _MONTH_CUE.search(w, max(0, m.start() - 40), m.start()) is not None
    return _Cand(m.start(), m.end(), "month", None, mon, None, None, mon, None, "month", 0.5, weak=not cued)


def _h_iso(m: re.Match, w: str) -> _Cand | None:
    y, mon, d = int(m["y"]), int(m["m"]), int(m["d"])
    return _Cand(m.start(), m.end(), "day", y, mon, d, y, mon, d, "day", 0.95, invalid=not 1 <= mon <= 12)


def _h_numeric(m: re.Match, w: str) -> _Cand | None:
    d, mon, y = int(m["d"]), int(m["m"]), int(m["y"])
    conf = 0.8 if d <= 12 and mon <= 12 and d != mon else 0.9
    if mon > 12 and m["sep"] == "/" and 1 <= d <= 12:
        d, mon, conf = mon, d, 0.6  # only readable month first
    return _Cand(m.start(), m.end(), "day", y, mon, d, y, mon, d, "day", conf, invalid=not 1 <= mon <= 12)


def _h_quarter(m: re.Match, w: str) -> _Cand | None:
    q = int(m["qn"] or m["qn2"] or 0) or _QUARTER_OF[_plain(m["qw"])]
    y = int(m["y"] or m["y2"])
    return _Cand(m.start(), m.end(), "quarter", y, 3 * q - 2, None, y, 3 * q, None, "quarter", 0.85)


def _h_season(m: re.Match, w: str) -> _Cand | None:
    first = _SEASON_OF[_plain(m["sea"])]
    y = int(m["y"])
    if m["y2"]:
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else (y // 100) * 100 + int(m["y2"])
        if y2 != y + 1 or first != 12:
            return None
    last, y_end = (first + 2, y) if first != 12 else (2, y + 1)
    return _Cand(m.start(), m.end(), "season", y, first, None, y_end, last, None, "season", 0.8)


_DATE_SCANNERS = [
    (_P_DAY_FIRST, _h_day_first),
    (_P_MONTH_FIRST, _h_month_first),
    (_P_MONTH_YEAR, _h_month_year),
    (_P_MONTH, _h_month),
    (_P_ISO, _h_iso),
    (_P_NUMERIC, _h_numeric),
    (_P_QUARTER, _h_quarter),
]
_PERIOD_SCANNERS = _DATE_SCANNERS + [(_P_SEASON, _h_season)]


def _scan(w: str, scanners) -> list[_Cand]:
    found: list[_Cand] = []
    for pattern, handler in scanners:
        pos = 0
        while (m := pattern.search(w, pos)) is not None:
            cand = handler(m, w)
            if cand is None:
                pos = m.start() + 1  # rejected here; a later start may still match
                continue
            found.append(cand)
            pos = m.end()
    return found


def _pick(found: list[_Cand], length: int) -> list[_Cand]:
    """Longest candidates first; drop any that overlap one already taken."""
    taken = bytearray(length)
    chosen = []
    for cand in sorted(found, key=lambda c: (c.s - c.e, c.s)):
        if not any(taken[cand.s : cand.e]):
            taken[cand.s : cand.e] = b"\x01" * (cand.e - cand.s)
            chosen.append(cand)
    chosen.sort(key=lambda c: c.s)
    return chosen


def _key(m: int, d: int | None, end: bool) -> tuple[int, int]:
    return (m, d if d is not None else (32 if end else 0))


def _join(left: _Cand, right: _Cand, w: str) -> _Cand | None:
    """'30 April' + ' - ' + '11 May 2021' -> one range, or None when they do not pair."""
    if left.invalid or right.invalid or left.kind not in ("day", "month", "quarter"):
        return None
    if right.kind not in ("day", "month", "quarter") and not right.joined:
        return None
    gap = _JOIN.fullmatch(w, left.e, right.s)
    if gap is None:
        return None
    word = gap.group().strip().split()[0].lower() if gap.group().strip() else ""
    if word == "/" and "day" in (left.prec, right.prec):
        return None
    lead = _RANGE_LEAD.search(w, max(0, left.s - 20), left.s)
    if word in ("and", "y", "et", "e") and not (lead and lead.group().lower().startswith(("between", "entre"))):
        return None
    y1, y2 = left.y1, right.y2
    in_order = _key(left.m1, left.d1, False) <= _key(right.m2, right.d2, True)
    if y1 is None and y2 is not None:
        y1 = y2 if in_order else y2 - 1
    elif y2 is None and y1 is not None:
        y2 = y1 if in_order else y1 + 1
    elif y1 is not None and (y1, *_key(left.m1, left.d1, False)) > (y2, *_key(right.m2, right.d2, True)):
        return None
    start = lead.start() if lead else left.s
    return _Cand(
        start, right.e, "range", y1, left.m1, left.d1, y2, right.m2, right.d2,
        _coarser(left.prec, right.prec), min([c.conf for c in (left, right) if not c.weak] or [0.6]), joined=True,
    )  # fmt: skip


def _candidates(w: str, scanners) -> list[_Cand]:
    chosen = _pick(_scan(w, scanners), len(w))
    # Join right to left so a chain like "October - November - December 2020" takes its year from the end.
    i = len(chosen) - 2
    while i >= 0:
        joined = _join(chosen[i], chosen[i + 1], w)
        if joined is not None:
            chosen[i : i + 2] = [joined]
        i -= 1
    return [c for c in chosen if not c.weak]


# --------------------------------------------------------------------------- years and hits


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _infer_year(m: int, d: int | None, period: Period | None, default_year: int | None) -> int | None:
    if period is None:
        return default_year
    best: tuple[int, int] | None = None
    for y in range(period.start.year - 1, period.end.year + 2):
        try:
            first = date(y, m, d or 1)
            last = date(y, m, d or _last_day(y, m))
        except ValueError:
            continue
        if last < period.start:
            distance = (period.start - last).days
        elif first > period.end:
            distance = (first - period.end).days
        else:
            distance = 0
        if best is None or distance <= best[0]:  # ties go to the later year
            best = (distance, y)
    return best[1] if best else None


def _resolve(c: _Cand, period: Period | None, default_year: int | None):
    """(start, end, days, inferred) for a candidate, or None if it is no real date."""
    if c.invalid:
        return None
    y1, y2, inferred = c.y1, c.y2, False
    if y1 is None:
        y1 = _infer_year(c.m1, c.d1, period, default_year)
        if y1 is None:
            return None
        in_order = _key(c.m1, c.d1, False) <= _key(c.m2, c.d2, True)
        y2, inferred = (y1 if in_order else y1 + 1), True
    try:
        start = date(y1, c.m1, c.d1 or 1)
        end = date(y2, c.m2, c.d2 or _last_day(y2, c.m2))
        listed = tuple(date(y1, c.m1, d) for d in c.days)
    except ValueError:
        return None
    if end < start:
        return None
    if c.kind == "list":
        days = listed
    elif c.prec == "day":
        count = (end - start).days + 1
        days = tuple(start + timedelta(n) for n in range(count)) if count <= MAX_LISTED_DAYS else ()
    else:
        days = ()
    return start, end, days, inferred


def _clock(hour: str, minute: str | None, meridiem: str | None) -> time | None:
    h, mi = int(hour), int(minute or 0)
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem.lower().startswith("p") else 0)
    return time(h, mi)


def _strong(m: re.Match, p: str) -> bool:
    """A real clock time, not a bare number: '4:00', '15h00', '4 pm', '15h', '15.00 hrs',
    'a las 15 horas'.  '2 hrs' or '6 horas' alone read as durations."""
    suffix = (m[p + "suf"] or "").strip().lower()
    if m[p + "M"]:
        return m[p + "sep"] in (":", "h", "H") or bool(m[p + "mer"] or suffix)
    if m[p + "mer"] or suffix == "h":
        return True
    return suffix in ("horas", "heures") and bool(m.groupdict().get("at"))


def _zone(text: str | None) -> str | None:
    if not text:
        return None
    offset = _ZONE_OFFSET.search(text)
    if offset:
        sign, hours, minutes = offset.groups()
        total = int(hours) * 60 + int(minutes or 0)
        if int(hours) > 14 or int(minutes or 0) >= 60:
            return None
        total = -total if sign == "-" else total
    elif _ZONE_ZERO.search(text):
        total = 0
    elif (abbr := _ZONE_ABBR.search(text)) is not None:
        total = _ZONE_MINUTES[abbr.group(1)]
    else:
        return None
    sign = "-" if total < 0 else "+"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def _times(m: re.Match) -> tuple[time, time | None, str | None, int] | None:
    """(start, end, zone, where the time text stops) for a time block match, or None."""
    if m["bH"] is not None and _strong(m, "b"):
        if not _strong(m, "a") and not m["bmer"]:
            return None  # "10-12" alone is no time range
        end = _clock(m["bH"], m["bM"], m["bmer"])
        start = _clock(m["aH"], m["aM"], m["amer"])
        if start is not None and end is not None and not m["amer"] and m["bmer"]:
            # "10-11 am", "10:00 - 11:30 pm": the first time shares the meridiem unless that puts it last.
            start = _clock(m["aH"], m["aM"], m["bmer"])
            if start is not None and start > end:
                start = _clock(m["aH"], m["aM"], "am")
        if start is None or end is None:
            return None
        return start, end, _zone(m["zone"]), m.end()
    if not _strong(m, "a"):
        return None
    start = _clock(m["aH"], m["aM"], m["amer"])
    if start is None:
        return None
    if m["bH"] is not None:  # the second part was no time: keep the first one only
        return start, None, None, m.end("aall")
    return start, None, _zone(m["zone"]), m.end()


def _attach_time(w: str, s: int, e: int, lo: int, hi: int):
    """A time just after the date at w[s:e] (or else just before it): (start, end, zone, s, e) or None."""
    after = _P_TIME_AFTER.match(w, e)
    if after:
        parsed = _times(after)
        if parsed and parsed[3] <= hi and (not after["par"] or parsed[3] == after.end()):
            start, end, zone, stop = parsed
            return start, end, zone, s, stop
    before = _P_TIME_BEFORE.search(w, max(lo, s - 80), s)
    if before:
        parsed = _times(before)
        if parsed and parsed[3] == before.end():  # the whole time block, up to the date
            start, end, zone, _ = parsed
            return start, end, zone, before.start(), e
    return None


def _hits(text: str, period: Period | None, default_year: int | None) -> list[DateHit]:
    w = _working_copy(text)
    cands = _candidates(w, _DATE_SCANNERS)
    hits: list[DateHit] = []
    resolved = []
    for c in cands:
        r = _resolve(c, period, default_year)
        if r is not None:
            resolved.append((c, r))
    for i, (c, (start, end, days, inferred)) in enumerate(resolved):
        s, e = c.s, c.e
        t = t_end = zone = None
        if c.prec == "day":
            lo = hits[-1].span[1] if hits else 0
            hi = resolved[i + 1][0].s if i + 1 < len(resolved) else len(w)
            found = _attach_time(w, s, e, lo, hi)
            if found:
                t, t_end, zone, s, e = found
        conf = c.conf
        if inferred:
            conf = min(conf, 0.75 if period is not None else 0.65)
        hits.append(
            DateHit(
                start=start, end=end, days=days, precision=c.prec, time=t, end_time=t_end, timezone=zone,
                span=(s, e), text=text[s:e], year_inferred=inferred, confidence=round(conf, 2),
            )
        )  # fmt: skip
    return hits


# --------------------------------------------------------------------------- public API


def find_dates(text: str, *, period: Period | None = None, default_year: int | None = None) -> list[DateHit]:
    """Every date expression in text, in order, without overlaps.

    A date written without a year takes the year that puts it inside (or nearest) `period`,
    else `default_year`; with neither it is left out.
    """
    if not text:
        return []
    return _hits(text, period, default_year)


def parse_date_expression(
    text: str, *, period: Period | None = None, default_year: int | None = None
) -> DateHit | None:
    """The first date expression in text, or None."""
    hits = find_dates(text, period=period, default_year=default_year)
    return hits[0] if hits else None


def find_period(text: str) -> Period | None:
    """The period a newsletter covers, from its first PERIOD_WINDOW characters.

    The earliest month, month range, quarter or season with a written year wins; a bare
    year is the last resort.  Days ("13 October 2020") are events, not periods.
    """
    if not text:
        return None
    head = text[: PERIOD_WINDOW + 200]
    w = _working_copy(head)
    for c in _candidates(w, _PERIOD_SCANNERS):
        if c.s >= PERIOD_WINDOW:
            break
        if c.invalid or c.y1 is None or c.y2 is None or c.d1 is not None or c.d2 is not None:
            continue
        try:
            start = date(c.y1, c.m1, 1)
            end = date(c.y2, c.m2, _last_day(c.y2, c.m2))
        except ValueError:
            continue
        if end >= start:
            return Period(start, end, " ".join(text[c.s : c.e].split()), (c.s, c.e))
    for m in _P_BARE_YEAR.finditer(w, 0, min(len(w), PERIOD_WINDOW)):
        if _NAME_BEFORE_YEAR.search(w, max(0, m.start() - 12), m.start()) or _NAME_AFTER_YEAR.match(w, m.end()):
            continue
        y = int(m.group())
        return Period(date(y, 1, 1), date(y, 12, 31), m.group(), m.span())
    return None
