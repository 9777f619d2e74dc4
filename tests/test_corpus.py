"""The corpus of awkward files (tests/data/corpus, built by make_corpus.py), through the CLI and the upload
page. Each file either gives the row report it should (kept + rejected = read, reasons, invalid values) or
is refused with one plain sentence. Never a traceback."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx.__main__ import main
from cx.app import registry

ROOT = Path(__file__).resolve().parent.parent


def page(page_id: str) -> str:
    """A page's file as AppTest wants it (relative to app.py), from the one page registry."""
    return str(registry.page(page_id).path.relative_to(ROOT))


CORPUS = ROOT / "tests" / "data" / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
APP = str(ROOT / "app.py")


def test_corpus_is_complete():
    files = {p.name for p in CORPUS.iterdir()} - {"expected.json"}
    assert files == set(EXPECTED) and len(files) >= 30


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def check_report(report: dict, expected: dict) -> None:
    assert report["rows_read"] == expected["rows_read"]
    assert report["rows_kept"] == expected["rows_kept"]
    assert report["rows_kept"] + report["rows_rejected"] == report["rows_read"]
    assert report["rejected_by_reason"] == expected["rejected_by_reason"]
    assert report["invalid_values"] == expected["invalid_values"]
    for role in ("text", "segments"):
        if role in expected:
            assert report["roles"][role] == expected[role]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli(name, capsys):
    expected = EXPECTED[name]
    code, out, err = cli(capsys, "inspect", CORPUS / name)
    assert "Traceback" not in out + err
    if "error" in expected:
        assert code == 2 and err.startswith("error: ") and expected["error"] in err and err.count("\n") == 1
    else:
        assert code == 0, err
        check_report(json.loads(out), expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_upload_page(name):
    expected = EXPECTED[name]
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.file_uploader(key="uploads").set_value(
        (name, (CORPUS / name).read_bytes(), "application/octet-stream")
    ).run()
    at.switch_page(page("data")).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    if "error" in expected:
        assert (
            len(errors) == 1
            and expected["error"] in errors[0].replace("\\", "")
            and "Traceback" not in errors[0]
        )
        return
    assert not errors, errors
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows read"] == f"{expected['rows_read']:,}"
    assert metrics["Rows kept"] == f"{expected['rows_kept']:,}"
    for path in (
        page("overview"),
        page("trends"),
        page("segments"),
        page("areas"),
    ):
        at.switch_page(path).run()
        assert not at.exception and not at.error, (page, [e.value for e in at.error])


def test_a_one_megabyte_comment(tmp_path, capsys):
    path = tmp_path / "long.csv"
    path.write_text("nps,comment\n3," + "muy lento " * 100_000 + "\n9,bien\n", encoding="utf-8")
    code, out, err = cli(capsys, "inspect", path)
    assert code == 0 and json.loads(out)["rows_kept"] == 2


def test_a_file_over_the_upload_limit_gets_a_plain_message():
    big = b"nps,comment\n" + b"9,this line repeats to make the file large\n" * 5_000_000  # 215 MB > 200 MiB
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.file_uploader(key="uploads").set_value(("huge.csv", big, "text/csv")).run()
    assert not at.exception
    assert len(at.error) == 1 and "larger than the 200 MB upload limit" in at.error[0].value
