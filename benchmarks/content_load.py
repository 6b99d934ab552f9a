"""Benchmark: load + validate a synthetic content tree of 20 locales x 500 pages.

Usage: `python benchmarks/content_load.py [--runs N] [--pages N] [--locales N]`.

It generates the tree in a temporary folder, then alternates, in turns, two baselines (read every file
and parse it with libyaml: composed nodes only, the floor; and `yaml.load` with PyYAML's C safe loader)
with `load_content` (parse, validate, render, index) as shipped (it forks a worker process for half the
translation locales when the tree is large and a CPU is idle), in one process only, and with a forked
worker forced, and prints the medians. Peak memory is
measured in fresh subprocesses (ru_maxrss of the process and of its worker, and tracemalloc in a
separate run because tracing slows the load down).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bot.content.parallel as content_parallel  # noqa: E402
from bot.content.loader import fingerprint, load_content  # noqa: E402
from bot.content.types import MENU, PAGE  # noqa: E402
from bot.features import install  # noqa: E402

install()  # the feature content types, as the CLI registers them

LOCALES = (
    "en", "my", "km", "th", "id", "fil", "ne", "bn", "vi", "fa_AF",
    "ur", "ms", "lo", "hi", "ta", "si", "zh", "ar", "ko", "ja",
)  # fmt: skip
MENU_SIZE = 25

PARAGRAPHS = (
    "Before you sign, read **every page** of the contract. Ask for a copy in a language you read, "
    "and keep it somewhere safe. If the recruiter says there is _no time_ to read it, that is a warning sign.",
    "- Check the employer's name and address\n- Check the wage, the hours and the days off\n"
    "- Check who pays for the visa, the flight and the medical test",
    "A licensed agency is listed by the labour ministry: see [the official list](https://www.ilo.org/fair-recruitment) "
    "or ask a helpline. Never hand over your passport; an employer may not keep it.",
    "If you are asked to pay a fee_to_the_recruiter in cash, ask for a receipt. Fees above the legal limit "
    "are a sign of debt bondage, which is a crime in most countries.",
)


def _body(index: int) -> str:
    paragraphs = [PARAGRAPHS[(index + k) % len(PARAGRAPHS)] for k in range(4)]
    return "\n\n".join(paragraphs) + "\n"


def _dump(path: Path, data: dict[str, object]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def generate(directory: Path, locales: int, pages: int) -> None:
    """Write bot.yaml and one tree per locale: menus of MENU_SIZE pages, translations with fingerprints."""
    codes = LOCALES[:locales]
    _dump(directory / "bot.yaml", {"default_locale": "en", "locales": list(codes)})
    menus = (pages + MENU_SIZE - 1) // MENU_SIZE
    source: dict[str, dict[str, object]] = {}  # relative path -> source data
    source["_menu.yaml"] = {
        "title": "Home",
        "intro": "Welcome. **Choose** a topic.",
        "order": [f"topic-{m:02d}" for m in range(menus)],
    }
    for m in range(menus):
        items = [f"page-{p:03d}" for p in range(m * MENU_SIZE, min(pages, (m + 1) * MENU_SIZE))]
        source[f"topic-{m:02d}/_menu.yaml"] = {
            "title": f"Topic {m}",
            "intro": f"Pages about topic {m}.",
            "order": items,
        }
        for name in items:
            number = int(name.split("-")[1])
            source[f"topic-{m:02d}/{name}.yaml"] = {
                "title": f"Page {number}: what to check",
                "body": _body(number),
                "keywords": ["contract", "fees", f"topic{m}"],
                "help": ["labour-rights"],
            }
    for locale in codes:
        for rel, data in source.items():
            path = directory / locale / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if locale == "en":
                _dump(path, data)
                continue
            node_type = MENU if rel.endswith("_menu.yaml") else PAGE
            text = {key: value for key, value in data.items() if key in node_type.text_fields}
            text = {key: f"[{locale}] {value}" if key == "title" else value for key, value in text.items()}
            text["translation"] = {"source": fingerprint(data, node_type), "machine": False, "reviewed": True}
            _dump(path, text)


def baseline(directory: Path) -> int:
    """Read and parse every YAML file with the C safe loader and nothing else."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    count = 0
    for path in directory.rglob("*.yaml"):
        yaml.load(path.read_bytes().decode("utf-8"), Loader=loader)  # a safe loader
        count += 1
    return count


def floor(directory: Path) -> int:
    """Read every YAML file and let libyaml compose its nodes (the part of any load done in C)."""
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    count = 0
    for path in directory.rglob("*.yaml"):
        loader = loader_class(path.read_bytes().decode("utf-8"))
        try:
            loader.get_single_node()
        finally:
            loader.dispose()
        count += 1
    return count


def load_once(directory: Path) -> None:
    """One full load; fails loudly if the synthetic tree does not validate."""
    result = load_content(directory)
    if result.content is None or result.report.warnings:
        for diagnostic in result.report.items[:10]:
            print(diagnostic, file=sys.stderr)
        raise SystemExit("the synthetic tree did not load cleanly")


def _load_with_workers(directory: Path, workers: int) -> None:
    saved = content_parallel.PARALLEL_WORKERS
    content_parallel.PARALLEL_WORKERS = workers
    try:
        load_once(directory)
    finally:
        content_parallel.PARALLEL_WORKERS = saved


def load_serial(directory: Path) -> None:
    """`load_content` in this process only (no worker process), for comparison."""
    _load_with_workers(directory, 0)


def load_forked(directory: Path) -> None:
    """`load_content` with one forked worker whatever the machine's load, for comparison."""
    _load_with_workers(directory, 1)


def child(directory: Path, mode: str) -> None:
    """Run in a fresh process: one load, then print peak memory as JSON."""
    if mode == "tracemalloc":
        tracemalloc.start()
        load_once(directory)
        _, peak = tracemalloc.get_traced_memory()
        print(json.dumps({"tracemalloc_peak_mb": peak / 1e6}))
        return
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if mode == "load":
        load_once(directory)
    elif mode == "serial":
        load_serial(directory)
    elif mode == "forked":
        load_forked(directory)
    else:
        baseline(directory)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"maxrss_mb": after, "maxrss_before_mb": before, "worker_maxrss_mb": worker}))


def _child_run(directory: Path, mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(directory)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    """Generate the tree, time baseline and loader alternately, measure memory, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--locales", type=int, default=20)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[1]), args.child[0])
        return
    with tempfile.TemporaryDirectory(prefix="content-bench-") as tmp:
        directory = Path(tmp)
        generate(directory, args.locales, args.pages)
        files = sum(1 for _ in directory.rglob("*.yaml"))
        size = sum(p.stat().st_size for p in directory.rglob("*.yaml")) / 1e6
        print(f"tree: {args.locales} locales x {args.pages} pages, {files} files, {size:.1f} MB")
        load_once(directory)  # warm the file cache and imports
        subjects = (
            ("floor", "floor (read + libyaml compose only)", floor),
            ("baseline", "baseline (read + yaml.load, C loader)", baseline),
            ("load", "load_content (parse+validate+render)", load_once),
            ("serial", "load_content in one process", load_serial),
            ("forked", "load_content with a forked worker", load_forked),
        )
        times: dict[str, list[float]] = {name: [] for name, _, _ in subjects}
        for _ in range(args.runs):
            for name, _, func in subjects:
                start = time.perf_counter()
                func(directory)
                times[name].append(time.perf_counter() - start)
        base = statistics.median(times["baseline"])
        for name, label, _ in subjects:
            median = statistics.median(times[name])
            print(f"{label + ':':40} median {median:.3f} s over {args.runs} runs ({median / base:.2f}x baseline)")
        load = statistics.median(times["load"])
        runs = {mode: [_child_run(directory, mode) for _ in range(3)] for mode in ("serial", "forked", "baseline")}
        rss = {mode: statistics.median(r["maxrss_mb"] for r in results) for mode, results in runs.items()}
        worker = statistics.median(r["worker_maxrss_mb"] for r in runs["forked"])
        traced = _child_run(directory, "tracemalloc")["tracemalloc_peak_mb"]
        print(
            f"peak RSS of a process that loads once: {rss['serial']:.0f} MB in one process; "
            f"{rss['forked']:.0f} MB + {worker:.0f} MB for its worker when forked "
            f"(baseline process: {rss['baseline']:.0f} MB)"
        )
        print(f"tracemalloc peak during the load:      {traced:.0f} MB")
        verdict = "met" if load <= 2.0 and rss["forked"] + worker <= 150 else "MISSED"
        print(f"target (<= 2 s, <= 150 MB): {verdict}")
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
