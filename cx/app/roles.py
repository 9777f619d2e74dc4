"""The column-role editor of the Data page."""

from __future__ import annotations

import streamlit as st

from cx.app.loading import FileInfo, roles_from_key, roles_key
from cx.app.markup import md_escape
from cx.app.state import edit_view, view
from cx.schema import SCALE_CHOICES, Roles
from cx.strings import ROLES, UI

ROLE_FIELDS = ["id", "date", "nps", "csat", "ces", "sentiment", "churned"]
DATE_CONVENTIONS = {"auto": None, "day-first (22/10/2016)": True, "month-first (10/22/2016)": False}
CONVENTION_KEYS = {None: "dates_auto", True: "dates_day", False: "dates_month"}  # their labels in ROLES


def file_summary(info: FileInfo) -> str:
    parts = [info.name, info.kind.upper() if info.kind else ""]
    if info.encoding:
        parts.append(info.encoding)
    if info.delimiter:
        named = {"\t": ROLES["tab"], " ": ROLES["space"]}.get(info.delimiter, info.delimiter)
        parts.append(ROLES["delimiter"].format(delimiter=named))
    if info.sheet:
        parts.append(ROLES["sheet"].format(sheet=info.sheet))
    if info.header_row and info.header_row > 1:
        parts.append(ROLES["header_on"].format(row=info.header_row))
    return md_escape(" · ".join(p for p in parts if p))


def _store_roles(position: int, digest: str, current: str) -> None:
    """The file's roles as the editor shows them, into the view (roles the editor does not show are kept)."""
    state = st.session_state
    roles = roles_from_key(current) or Roles()
    for f in ROLE_FIELDS:
        setattr(roles, f, state.get(f"role_{f}_{digest}"))
    roles.csat_scale = tuple(int(x) for x in state[f"role_scale_{digest}"].split("-"))
    roles.text = list(state.get(f"role_text_{digest}") or [])
    roles.segments = list(state.get(f"role_segments_{digest}") or [])
    roles.dayfirst = DATE_CONVENTIONS[state[f"role_dayfirst_{digest}"]]
    edit_view(lambda v: v.roles.__setitem__(position, roles))


def _reset_roles(position: int, digest: str, current: str) -> None:
    edit_view(lambda v: v.roles.pop(position, None))
    for key in [k for k in st.session_state if str(k).startswith("role_") and str(k).endswith(digest)]:
        del st.session_state[key]


def _choose_header(position: int, key: str) -> None:
    """Another header row: other column names, so the roles are detected again for them."""
    row = int(st.session_state[key])

    def change(v) -> None:
        v.headers[position] = row
        v.roles.pop(position, None)

    edit_view(change)


def header_row(info: FileInfo) -> None:
    """The row that holds the column names (detected; the user may say otherwise)."""
    if info.header_row is None:  # Parquet, JSON: names come with the data
        return
    key = f"header_{info.digest}_{info.sheet}"
    if key not in st.session_state:
        st.session_state[key] = info.header_row
    st.number_input(
        UI["header_row"],
        min_value=1,
        step=1,
        key=key,
        help=UI["header_row_help"],
        on_change=_choose_header,
        args=(info.position, key),
    )


def role_editor(info: FileInfo) -> None:
    """Selectboxes for every role of one file; a change rebuilds the dataset on the next run."""
    roles, cols = info.roles, info.columns
    digest = f"{info.sheet}_{info.header_row}_{info.digest}"  # other columns (sheet, header): fresh widgets
    options = [None, *cols]
    on_change, args = _store_roles, (info.position, digest, roles_key(roles))
    grid = st.columns(3)
    for i, f in enumerate(ROLE_FIELDS):
        current = getattr(roles, f)
        grid[i % 3].selectbox(
            ROLES[f],
            options,
            index=options.index(current) if current in options else 0,
            format_func=lambda v: UI["none"] if v is None else v,
            key=f"role_{f}_{digest}",
            on_change=on_change,
            args=args,
        )
    scale = f"{roles.csat_scale[0]}-{roles.csat_scale[1]}"
    grid[len(ROLE_FIELDS) % 3].selectbox(
        ROLES["csat_scale"],
        SCALE_CHOICES,
        index=SCALE_CHOICES.index(scale) if scale in SCALE_CHOICES else 0,
        key=f"role_scale_{digest}",
        on_change=on_change,
        args=args,
    )
    conventions = list(DATE_CONVENTIONS)
    current = next(k for k, v in DATE_CONVENTIONS.items() if v == roles.dayfirst)
    st.radio(
        ROLES["dates"],
        conventions,
        format_func=lambda k: ROLES[CONVENTION_KEYS[DATE_CONVENTIONS[k]]],
        index=conventions.index(current),
        horizontal=True,
        key=f"role_dayfirst_{digest}",
        on_change=on_change,
        args=args,
    )
    st.multiselect(
        ROLES["text"],
        cols,
        default=[c for c in roles.text if c in cols],
        key=f"role_text_{digest}",
        on_change=on_change,
        args=args,
    )
    st.multiselect(
        ROLES["segments"],
        cols,
        default=[c for c in roles.segments if c in cols],
        key=f"role_segments_{digest}",
        on_change=on_change,
        args=args,
    )
    if info.position in view().roles:
        st.button(ROLES["reset"], key=f"role_reset_{digest}", on_click=_reset_roles, args=args)
