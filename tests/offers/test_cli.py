"""`python -m bot offers test DIR`: the figures on the shipped example set, JSON, and kind errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.offers.evaluate import guess_locale

EXAMPLES = PROJECT_ROOT / "examples" / "offers"


def test_the_shipped_set_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["offers", "test", str(EXAMPLES), "--min-recall", "0.9", "--max-false", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "recall" in out and "precision" in out
    assert "compound-place" in out and "high-pay" in out, "per-sign hits"
    scam = len(list((EXAMPLES / "scam").glob("*.txt")))
    genuine = len(list((EXAMPLES / "genuine").glob("*.txt")))
    assert scam + genuine >= 60
    assert f"adverts: {scam} scam, {genuine} genuine" in out


def test_json_has_one_object_per_file_then_the_totals(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["offers", "test", str(EXAMPLES), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    files = data["files"]
    assert {f["path"].split("/")[0] for f in files} == {"scam", "genuine"}
    assert all({"path", "band", "signs", "locale"} <= set(f) for f in files)
    assert len({f["locale"] for f in files}) >= 5, "at least five languages"
    totals = data["totals"]
    assert totals["recall"] >= 0.9 and totals["genuine_given_many"] <= 0.1


def test_a_failing_bar_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "scam").mkdir()
    (tmp_path / "genuine").mkdir()
    (tmp_path / "scam" / "a.txt").write_text("We are hiring cooks. Please apply at our office.", encoding="utf-8")
    (tmp_path / "genuine" / "b.txt").write_bytes(b"\xff\xfe not utf-8 \x80")
    assert main(["offers", "test", str(tmp_path), "--locale", "en", "--min-recall", "0.9"]) == 1
    captured = capsys.readouterr()
    assert "genuine/b.txt: not read" in captured.err and "UTF-8" in captured.err
    assert "scam/a.txt [en] scam -> " in captured.out, "the adverts not as labelled are listed"


def test_a_folder_without_the_labels_is_refused_kindly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["offers", "test", str(tmp_path)]) == 2
    assert "needs the folders scam/ and genuine/" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("รับด่วน งานแอดมิน เงินเดือนดี", "th"),
        ("မြဝတီမှာ အလုပ်ခေါ်နေပါတယ်", "my"),
        ("ជ្រើសរើសបុគ្គលិកបម្រើអតិថិជន", "km"),
        ("Tuyển gấp nhân viên chăm sóc khách hàng, lương cao", "vi"),
        ("Dibutuhkan segera operator dengan gaji tinggi untuk kerja di luar negeri", "id"),
        ("Kailangan ng mga driver para sa trabaho sa Qatar, mataas ang sahod", "fil"),
        ("Hiring drivers for Qatar, good pay", "en"),
    ],
)
def test_the_language_is_guessed_from_the_script_or_common_words(text: str, locale: str) -> None:
    assert guess_locale(text) == locale
