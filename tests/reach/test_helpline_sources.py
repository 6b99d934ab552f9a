"""Issue 17: every helpline number comes from the reference or cites the official page it was read on."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from bot.config import PROJECT_ROOT
from bot.content.loader import load_content
from bot.helplines.model import Directory

CONTENT = PROJECT_ROOT / "content"
# The rows of the project's helpline reference (docs/helplines.md lists them with their sources).
FROM_REFERENCE = {
    "id-kp2mi", "id-sapa-129", "ph-1343", "ph-dmw-owwa-1348", "ph-dmw-mwpb", "th-1300", "th-doe-1694",
    "my-mapo-1mocc", "kh-police-117", "vn-111", "la-lwu-1362", "mm-dol", "np-police-1177", "bd-probash-bondhu",
    "lk-slbfe-1989", "in-madad", "pk-fia", "au-afp", "au-fwo", "nz-mbie-police", "jp-iom-tokyo", "jp-isa",
    "kr-1345", "kr-hug", "sg-police-mom", "sg-ngos", "hk-labour-fdh", "tw-mol-1955", "tw-taipei-fdlo",
    # the Gulf rows, added to the reference in December 2026
    "sa-hrsd-19911", "ae-800-save", "ae-mohre-80060", "ae-mohre-call-centre", "qa-mol-16008", "kw-pam-domestic",
    "om-rop-800", "bh-ncctip-995", "bh-lmra",
}  # fmt: skip
READ_ON = re.compile(r"read (\d{4}-\d{2}-\d{2})")


def _directory() -> Directory:
    result = load_content(CONTENT)
    assert result.content is not None
    directory = result.content.documents["helplines"]
    assert isinstance(directory, Directory)
    return directory


def _official(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return any(part in {"gov", "go", "govt"} for part in host.split(".")) or host.endswith(".gov.tw")


def test_every_entry_is_from_the_reference_or_cites_the_official_page_it_was_read_on() -> None:
    for entry in _directory().helplines:
        if entry.id in FROM_REFERENCE:
            continue
        assert _official(entry.source_url), f"{entry.id}: {entry.source_url} is not an official government page"
        assert entry.source_date is not None or "undated" in entry.note, f"{entry.id}: the page's date, or 'undated'"
        assert READ_ON.search(entry.note), f"{entry.id}: the note must say the day the page was read (read YYYY-MM-DD)"


def test_every_new_entry_is_listed_in_docs_helplines() -> None:
    docs = (PROJECT_ROOT / "docs" / "helplines.md").read_text(encoding="utf-8")
    for entry in _directory().helplines:
        if entry.id not in FROM_REFERENCE:
            assert f"`{entry.id}`" in docs, entry.id


def test_the_directory_names_no_file_outside_the_repository() -> None:
    text = (CONTENT / "helplines.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    for line in comments:
        assert not re.search(r"(^|\s)(/|~/|[A-Za-z]:\\)\S", line.lstrip("# ")), line


def test_destinations_have_lines_and_an_emergency_number() -> None:
    directory = _directory()
    for country in ("MY", "TW", "HK", "SG", "KR", "JP", "SA", "AE", "QA", "KW", "OM", "BH"):
        assert directory.by_country.get(country), country
        assert country in directory.emergency, country
