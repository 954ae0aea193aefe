"""`bookme export`: the stored configuration as an import file that reads back unchanged."""

from __future__ import annotations

import json

import yaml

from app.configuration import import_data
from app.configuration.export import export_configuration
from app.demo import load_demo


def test_the_exported_demo_imports_back_without_changing_anything(app, clock):
    load_demo(clock.now)
    report = import_data(export_configuration())
    assert not report.changed, report.lines()
    assert report.counts["employees"]["unchanged"] >= 15


def test_export_writes_yaml_to_stdout_and_json_to_a_file(runner, app, clock, tmp_path):
    load_demo(clock.now)
    result = runner.invoke(args=["bookme", "export"])
    assert result.exit_code == 0, result.output
    as_yaml = yaml.safe_load(result.stdout)
    assert as_yaml["settings"]["name"] == "Nordbank"
    assert as_yaml["settings"]["opening_time"] == "08:00"
    path = tmp_path / "config.json"
    assert runner.invoke(args=["bookme", "export", str(path)]).exit_code == 0
    as_json = json.loads(path.read_text(encoding="utf-8"))
    assert {e["email"] for e in as_json["employees"]} == {e["email"] for e in as_yaml["employees"]}
    again = runner.invoke(args=["bookme", "import", str(path)])
    assert again.exit_code == 0 and "nothing changed" in again.output
