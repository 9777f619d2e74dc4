"""The chart builders draw exactly what they drew before they were made cheaper, and every spec the app
builds is valid Vega-Lite (so the app may convert without validating at run time)."""

import json

import pytest

from tests.chart_cases import SPECS, cases

CASES = cases()


def test_every_reference_spec_has_a_case():
    assert sorted(p.stem for p in SPECS.glob("*.json")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_spec_is_unchanged_and_valid(name):
    chart = CASES[name]()
    reference = json.loads((SPECS / f"{name}.json").read_text())
    # validate=True: Altair checks the whole spec against the Vega-Lite schema and raises if it is not valid
    validated = json.loads(json.dumps(chart.to_dict(validate=True)))
    assert validated == reference
    # what the app converts (without validation at run time) is the same picture
    assert json.loads(json.dumps(chart.to_dict())) == reference
