"""The stores' comparison against Chapar, as plots: in the bench's output and in `idsynth report`.

Story: after `bench/chapar.py CHAPAR_DIR --network` a reader wants the three comparisons the
issue asks for (throughput vs keys, vs history length, vs put rate) as pictures, beside the
JSON and in the same self-contained page as the runs. The fixture `tests/data/chapar_small.json`
is a cut of the measured `bench/data/chapar*.json` (2 stores, 2 x 2 cells in process; 3 and 5
replicas at 10% and 50% puts plus a killed-replica run on the network): nothing is re-run.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest

from idsynth.cli.main import main
from idsynth.extraction.comparison import ComparisonError, load_comparison, network_ratios
from idsynth.extraction.comparison_plots import put_rate_figure, save_comparison_plots

pytestmark = pytest.mark.unit  # pure Python and matplotlib, starts no checker (tests/tiers.py enforces it)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "chapar_small.json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _bench_script():
    spec = importlib.util.spec_from_file_location("bench_chapar", ROOT / "bench" / "chapar.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bench_writes_one_png_per_comparison_beside_its_json(tmp_path):
    out = tmp_path / "chapar.json"
    shutil.copy(FIXTURE, out)
    written = _bench_script()._plots(out)
    assert [p.name for p in written] == ["chapar_keys.png", "chapar_history.png", "chapar_put_rate.png"]
    for p in written:
        assert p.read_bytes()[:8] == PNG_MAGIC and p.stat().st_size > 10_000


def test_a_grid_without_a_network_run_gets_no_put_rate_plot(tmp_path):
    data = json.loads(FIXTURE.read_text())
    del data["network"]  # as bench/data/chapar.json, written before the networked run existed
    (tmp_path / "grid.json").write_text(json.dumps(data))
    written = save_comparison_plots(load_comparison(tmp_path / "grid.json"), tmp_path / "grid.json")
    assert [p.name for p in written] == ["grid_keys.png", "grid_history.png"]


def test_the_put_rate_plot_has_throughput_and_latency_per_replica_count_without_the_killed_runs():
    network = load_comparison(FIXTURE).network
    fig = put_rate_figure(network)
    top = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in top] == ["3 replicas", "5 replicas"]
    assert len(fig.axes) == 4  # throughput above, put latency below, per replica count
    for ax in top:  # one line per store, at the two put rates; the 50% killed-replica run is not a point
        assert sorted(line.get_label() for line in ax.get_lines()) == ["chapar-alg1", "idsynth:FastLWW"]
        assert all(list(line.get_xdata()) == [10, 50] for line in ax.get_lines())
    fast3 = next(r for rep in network if rep.impl == "idsynth:FastLWW" for r in rep.results
                 if r.replicas == 3 and r.put_percent == 10)
    line = next(ln for ln in fig.axes[0].get_lines() if ln.get_label() == "idsynth:FastLWW")
    assert line.get_ydata()[0] == fast3.ops_per_s
    latency = fig.axes[2].get_lines()  # the 3-replica latency panel: p50 and p99 per store
    assert sorted(ln.get_label() for ln in latency) == ["chapar-alg1 p50", "chapar-alg1 p99",
                                                        "idsynth:FastLWW p50", "idsynth:FastLWW p99"]


def test_the_network_ratio_is_per_replica_count_and_put_rate(tmp_path):
    ratios = network_ratios(load_comparison(FIXTURE))
    assert [(r.replicas, r.put_percent) for r in ratios] == [(3, 10), (3, 50), (5, 10), (5, 50)]
    raw = json.loads(FIXTURE.read_text())["network"]
    ops = {(rep["impl"], r["replicas"], r["put_percent"]): r["ops_per_s"] for rep in raw for r in rep["results"]
           if r["killed"] is None}
    for r in ratios:
        assert r.ratio == pytest.approx(ops[("idsynth:FastLWW", r.replicas, r.put_percent)]
                                        / ops[("chapar-alg1", r.replicas, r.put_percent)])


def test_idsynth_report_embeds_the_three_plots_and_the_ratio_table(tmp_path, capsys):
    out = tmp_path / "chapar.html"
    assert main(["report", "--bench", str(FIXTURE), "-o", str(out)]) == 0
    page = out.read_text()
    ratio = json.loads(FIXTURE.read_text())["ratio"]
    assert f"{ratio['ratio']:.2f}×" in page and "1,000 keys, 100,000 operations" in page
    assert "loopback TCP, 5 replicas, 50% puts" in page
    plots = re.findall(r"<img class='plot' alt='([^']+)' src='data:image/png;base64,", page)
    assert plots == ["throughput vs keys", "throughput vs history length",
                     "throughput and put latency vs put rate (replicas on loopback TCP)"]
    assert "src='http" not in page and "src='/" not in page  # self-contained


@pytest.mark.parametrize("content, says", [
    ("{not json", "not JSON"),
    ("[]", "not a bench/chapar.py result"),  # `idsynth bench --json` prints a list of reports
    (json.dumps({"format_version": 2, "reports": [{"impl": "x"}]}), "not a bench/chapar.py result: reports.0"),
    (json.dumps({"format_version": 1, "reports": []}), "not a bench/chapar.py result of format 2 (its format_version is 1)"),
])
def test_a_file_that_is_not_a_comparison_result_is_refused_with_exit_2_and_nothing_written(
        tmp_path, capsys, content, says):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    out = tmp_path / "r.html"
    assert main(["report", "--bench", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and says in err
    assert not out.exists()
    with pytest.raises(ComparisonError, match=re.escape(says)):
        load_comparison(bad)
