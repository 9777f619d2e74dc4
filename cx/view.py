"""The view: everything that makes one screen of CX Lens, as one value with one serialisation.

The data (content hashes of the uploads; none means the bundled sample), the column roles and sheets the
user chose, the global filters, the minimum sample, every page's settings and presentation mode. The app
keeps it in the session and mirrors it in the URL, so a link, a new tab or presentation mode reopens
exactly the same view. Only the page itself travels in the URL's path (`/themes?...`), not here.

Query parameters (every one optional; unknown ones are ignored, hostile ones dropped):

    data=<sha256>            one per uploaded file, in order (absent or `sample`: the bundled sample)
    dataset=<folder>         a `cx batch` output folder on the server (then no `data`, roles, sheets, headers)
    sheet.<i>=<name>         the sheet read from file i (1-based)
    header.<i>=<row>         the header's row number in file i, when the user chose it (else detected)
    r<i>.<role>=<column>     roles of file i edited by the user: r1.nps, r1.text (repeated), r1.csat_scale=1-5,
                             r1.dayfirst=day|month; absent: the detected roles
    from, to                 date range (YYYY-MM-DD, inclusive)
    group, csat              NPS groups, CSAT answers (repeated)
    seg.<column>             allowed values of a segment column (repeated)
    q                        keyword
    theme                    theme ids (repeated), of the themes the Themes page settings define
    min_n                    minimum sample
    codeframe                the saved codeframe the Codeframe page shows (its name in the store)
    codeframe.version        the version of it shown (absent: the latest)
    <page>.<setting>         page settings, e.g. trends.metric=csat, themes.k=8 (see SETTINGS)
    present=1                presentation mode
    lang=es|gl|en            the interface language (absent: the browser's)
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from urllib.parse import urlencode

from cx.filters import Filters
from cx.i18n import LANGUAGES
from cx.metrics import DEFAULT_MIN_N
from cx.schema import NPS_GROUPS, Roles

# Page settings the view carries; a key not listed here is ignored (the URL is not a free-for-all).
SETTINGS = {
    "trends": ("metric", "period", "split"),
    "segments": ("column", "metric", "period"),
    "areas": ("metric", "depth", "area"),
    "changes": ("metric", "kind", "from", "to"),
    "themes": ("scope", "k", "model", "custom", "order", "theme", "sub", "mix"),
    "export": ("sep", "mask", "translated"),
    "present": ("slide",),
}
SETTING_KEYS = frozenset(f"{page}.{name}" for page, names in SETTINGS.items() for name in names)
MAX_VALUES = 200  # values kept per parameter
MAX_CHARS = 300  # characters kept per value
MAX_MIN_N = 10_000
DATA_REF = re.compile(r"[0-9A-Za-z]{1,64}")
ROLE_KEY = re.compile(r"r([1-9][0-9]?)\.(\w+)")
SHEET_KEY = re.compile(r"sheet\.([1-9][0-9]?)")
HEADER_KEY = re.compile(r"header\.([1-9][0-9]?)")


@dataclass
class View:
    """One screen of the app, shareable as query parameters.

    Attributes:
        data: content hashes of the uploaded files, in order; empty: the bundled sample.
        dataset: a `cx batch` output folder opened instead of uploads (as the user typed it; the app checks it
            against the allowed roots before opening); empty: uploads or the sample.
        roles: column roles the user edited, by file position (0-based; the sample is file 0).
        sheets: the sheet chosen for a workbook, by file position.
        headers: the header row (1-based) the user chose, by file position.
        filters: the global filters (theme ids refer to the themes the `themes.*` settings define).
        min_n: minimum sample.
        settings: page settings as text, by "page.name" (see SETTINGS); absent means the page's default.
        present: presentation mode.
        codeframe: name of the saved codeframe shown (empty: none chosen).
        codeframe_version: its version shown (None: the latest).
        lang: the interface language ("en", "es", "gl"); empty: the browser's.
    """

    data: list[str] = field(default_factory=list)
    dataset: str = ""
    roles: dict[int, Roles] = field(default_factory=dict)
    sheets: dict[int, str] = field(default_factory=dict)
    headers: dict[int, int] = field(default_factory=dict)
    filters: Filters = field(default_factory=Filters)
    min_n: int = DEFAULT_MIN_N
    settings: dict[str, str] = field(default_factory=dict)
    present: bool = False
    codeframe: str = ""
    codeframe_version: int | None = None
    lang: str = ""

    def copy(self) -> View:
        return copy.deepcopy(self)

    # ------------------------------------------------------------------------------------------
    # To and from query parameters
    # ------------------------------------------------------------------------------------------

    def to_params(self) -> dict[str, list[str]]:
        """The view as query parameters (each a list of values), defaults left out."""
        out: dict[str, list[str]] = {}
        if self.dataset:
            out["dataset"] = [self.dataset]
        elif self.data:
            out["data"] = list(self.data)
        for i, name in sorted(self.sheets.items()):
            out[f"sheet.{i + 1}"] = [name]
        for i, row in sorted(self.headers.items()):
            out[f"header.{i + 1}"] = [str(row)]
        for i, roles in sorted(self.roles.items()):
            out.update({f"r{i + 1}.{k}": v for k, v in roles_to_params(roles).items()})
        f = self.filters
        if f.date_from:
            out["from"] = [f.date_from.isoformat()]
        if f.date_to:
            out["to"] = [f.date_to.isoformat()]
        if f.nps_groups:
            out["group"] = list(f.nps_groups)
        if f.csat_values:
            out["csat"] = [str(v) for v in f.csat_values]
        for col, values in f.segments.items():
            if values:
                out[f"seg.{col}"] = [str(v) for v in values]
        if f.keyword.strip():
            out["q"] = [f.keyword.strip()]
        if f.themes:
            out["theme"] = [str(i) for i in f.themes]
        if self.min_n != DEFAULT_MIN_N:
            out["min_n"] = [str(self.min_n)]
        for key in sorted(self.settings):
            if key in SETTING_KEYS and self.settings[key] != "":
                out[key] = [self.settings[key]]
        if self.present:
            out["present"] = ["1"]
        if self.codeframe:
            out["codeframe"] = [self.codeframe]
            if self.codeframe_version is not None:
                out["codeframe.version"] = [str(self.codeframe_version)]
        if self.lang in LANGUAGES:
            out["lang"] = [self.lang]
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str | list[str]]) -> View:
        """The view a URL describes. Unknown keys are ignored; values that cannot be meant (a date that is
        no date, a min_n that is no number, a theme that is no id) are dropped, never raised about."""
        p = {str(k)[:MAX_CHARS]: _values(v) for k, v in list(params.items())[: 4 * MAX_VALUES]}
        view = cls()
        data = [d for d in p.get("data", []) if d != "sample"]
        view.data = [d for d in data if DATA_REF.fullmatch(d)][:MAX_VALUES]
        if data and not view.data:
            view.data = ["invalid"]  # a link to data, but not to any data we could name: never the sample
        role_params: dict[int, dict[str, list[str]]] = {}
        for key, values in p.items():
            if m := ROLE_KEY.fullmatch(key):
                role_params.setdefault(int(m.group(1)) - 1, {})[m.group(2)] = values
            elif (m := SHEET_KEY.fullmatch(key)) and values and values[0]:
                view.sheets[int(m.group(1)) - 1] = values[0]
            elif (m := HEADER_KEY.fullmatch(key)) and values and values[0].isdigit() and len(values[0]) <= 6:
                view.headers[int(m.group(1)) - 1] = max(1, int(values[0]))
        view.roles = {i: roles_from_params(v) for i, v in sorted(role_params.items())}
        view.dataset = (p.get("dataset") or [""])[0].strip()
        if view.dataset:  # a batch folder has no uploads: its roles were chosen when `cx batch` ran
            view.data, view.roles, view.sheets, view.headers = [], {}, {}, {}
        f = view.filters
        f.date_from, f.date_to = _date(p.get("from")), _date(p.get("to"))
        f.nps_groups = _unique(g for g in p.get("group", []) if g in NPS_GROUPS)
        f.csat_values = _unique(int(v) for v in p.get("csat", []) if v.isdigit() and len(v) <= 3)
        for key, values in p.items():
            if key.startswith("seg.") and len(key) > 4 and values:
                f.segments[key[4:]] = _unique(values)
        f.keyword = (p.get("q") or [""])[0].strip()
        f.themes = {int(v): "" for v in p.get("theme", []) if v.isdigit() and len(v) <= 4}
        min_n = (p.get("min_n") or [""])[0]
        if min_n.isdigit() and len(min_n) <= 6:
            view.min_n = min(MAX_MIN_N, max(1, int(min_n)))
        for key in SETTING_KEYS & p.keys():
            if p[key] and p[key][0] != "":
                view.settings[key] = p[key][0]
        view.present = (p.get("present") or [""])[0] in ("1", "true")
        view.codeframe = (p.get("codeframe") or [""])[0].strip()
        version = (p.get("codeframe.version") or [""])[0]
        if view.codeframe and version.isdigit() and len(version) <= 6 and int(version) >= 1:
            view.codeframe_version = int(version)
        lang = (p.get("lang") or [""])[0].lower()
        view.lang = lang if lang in LANGUAGES else ""
        return view

    def query_string(self) -> str:
        """The view as the query string of a link (without the leading "?")."""
        return urlencode([(k, v) for k, values in self.to_params().items() for v in values])


def roles_to_params(roles: Roles) -> dict[str, list[str]]:
    """Column roles as query parameters, one per role (every field of Roles, whatever it gains later)."""
    out: dict[str, list[str]] = {}
    for f in fields(Roles):
        value = getattr(roles, f.name)
        if value is None:
            continue
        if f.name == "dayfirst":
            out[f.name] = ["day" if value else "month"]
        elif isinstance(value, tuple):
            out[f.name] = ["-".join(str(v) for v in value)]
        elif isinstance(value, list):
            if value:
                out[f.name] = [str(v) for v in value]
        elif isinstance(value, bool):
            out[f.name] = ["1" if value else "0"]
        else:
            out[f.name] = [str(value)]
    return out


def roles_from_params(params: Mapping[str, list[str]]) -> Roles:
    """Column roles from `roles_to_params`; a role not given is None (empty for lists)."""
    roles = Roles()
    for f in fields(Roles):
        values = params.get(f.name)
        if not values:
            continue
        default = getattr(roles, f.name)
        if f.name == "dayfirst":
            roles.dayfirst = {"day": True, "month": False}.get(values[0])
        elif isinstance(default, tuple):
            parts = values[0].split("-")
            if len(parts) == len(default) and all(x.isdigit() and len(x) <= 3 for x in parts):
                setattr(roles, f.name, tuple(int(x) for x in parts))
        elif isinstance(default, list):
            setattr(roles, f.name, _unique(values))
        elif isinstance(default, bool):
            setattr(roles, f.name, values[0] == "1")
        else:
            setattr(roles, f.name, values[0])
    return roles


def _values(value) -> list[str]:
    """A parameter's values as a bounded list of bounded strings (NUL and other control characters out)."""
    values = [value] if isinstance(value, str) else list(value or [])[:MAX_VALUES]
    return [re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", str(v))[:MAX_CHARS] for v in values]


def _date(values: list[str] | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(values[0]) if values else None
    except ValueError:
        return None


def _unique(values) -> list:
    """In first-seen order, without repeats."""
    return list(dict.fromkeys(values))
