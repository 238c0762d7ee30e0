"""The cleaning benchmark runs end to end on tiny pages and reports every stage (no timing is checked)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

# benchmarks/ is a folder of the repository, not an installed package: `python -m pytest`
# puts the repository root on sys.path, a bare `pytest` does not.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.__main__ import main  # noqa: E402
from benchmarks.clean import BASELINE  # noqa: E402

PARAGRAPHS = ["Le conseil municipal a adopté mardi soir le budget de la ville pour l'année prochaine, "
              "après un long débat sur le financement des transports publics et des écoles du quartier.",
              "La maire a défendu une hausse des investissements dans les pistes cyclables, tandis que "
              "l'opposition a réclamé une baisse des impôts locaux pour les familles les plus modestes.",
              "Le vote final a eu lieu peu avant minuit, par trente-deux voix contre onze, et le texte "
              "entrera en vigueur au premier janvier selon le calendrier fixé par la préfecture."]
HTML = ("<html><head><title>{title}</title></head><body><nav><a href='/'>Accueil</a></nav><article><h1>{title}</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article><footer>Contact</footer></body></html>")
DUMP = "Accueil\nRechercher\n{title}\n" + "\n".join(PARAGRAPHS) + "\nPartager sur Facebook\n"
STAGES = {"read (sources)", "clean_dump (dumps)", "clean_html (html)", BASELINE, "language (articles)",
          "process_page (html)", "process_page (dumps)", "annotate: parse (one pipe per language)",
          "annotate: rules (parsed articles)", "annotate: events alone (parsed articles)", "store writes",
          "ingest, 1 worker", "ingest, 2 workers"}


def write_pages(folder: Path) -> tuple[Path, Path]:
    """Write two small HTML pages and one text dump; return their folders."""
    html, dumps = folder / "html", folder / "dumps"
    html.mkdir()
    dumps.mkdir()
    for i, title in enumerate(["Le budget voté", "Les écoles rénovées"]):
        (html / f"page{i}.html").write_text(HTML.format(title=title), encoding="utf-8")
    (dumps / "page.txt").write_text(DUMP.format(title="Le budget voté"), encoding="utf-8")
    return html, dumps


def test_benchmark_reports_every_stage_with_a_positive_throughput(tmp_path, capsys):
    html, dumps = write_pages(tmp_path)
    out = tmp_path / "results"
    argv = ["--html", str(html), "--dumps", str(dumps), "--repeat", "1", "--out", str(out), "--markdown"]
    assert main(argv) == 0
    [result] = out.glob("clean-*.json")
    report = json.loads(result.read_text(encoding="utf-8"))
    assert {stage["stage"] for stage in report["stages"]} == STAGES
    assert all(stage["pages"] > 0 and stage["pages_per_s"] > 0 for stage in report["stages"])
    assert report["baseline"] == BASELINE and report["peak_rss_mb"] > 0
    table = capsys.readouterr().out
    assert all(f"| {name} |" in table for name in STAGES)


ARTICLES = {"fr.txt": "\n".join(PARAGRAPHS),
            "en.txt": "The city council approved the budget for next year on Tuesday night, after a long debate "
                      "about how to pay for public transport and the schools of the district.\n"
                      "The mayor defended more spending on cycle lanes, while the opposition asked for lower "
                      "local taxes for the poorest families in Kingsbridge and Portmere."}


def test_annotate_benchmark_compares_each_language_with_its_model_alone(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "results"
    assert main(["--articles", str(folder), "--repeat", "1", "--out", str(out), "--markdown"]) == 0
    assert not list(out.glob("clean-*.json"))  # input files for one benchmark select it alone
    [result] = out.glob("annotate-*.json")
    report = json.loads(result.read_text(encoding="utf-8"))
    assert set(report["languages"]) == {"fr", "en"}
    for language, figures in report["languages"].items():
        stages = [stage["stage"] for stage in figures["stages"]]
        assert stages == [figures["baseline"], f"parse_article ({language})", f"annotate ({language})"]
        assert figures["articles"] == 1 and isinstance(figures["overhead"], float)
        assert all(stage["median_cpu_s"] > 0 and stage["pages_per_s"] > 0 for stage in figures["stages"])
    table = capsys.readouterr().out
    assert "| annotate (fr) |" in table and "overhead of annotate" in table
