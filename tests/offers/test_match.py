"""The warning signs found in adverts, with the advert's own words quoted, the facts missing, and the band."""

from __future__ import annotations

from bot.offers.match import Finding, Matcher
from bot.offers.model import Band

THAI_SCAM = "รับด่วน! งานแอดมินออนไลน์ ที่กัมพูชา เงินเดือน 35,000 บาท ไม่ต้องมีประสบการณ์ ฟรีตั๋วเครื่องบิน ที่พักฟรี สนใจทักไลน์"
INDONESIAN_SCAM = (
    "Lowongan CS online di Kamboja, gaji Rp 15 juta/bulan, tanpa pengalaman, tiket gratis, mes gratis. "
    "Berangkat cepat, kuota terbatas! Minat hubungi WA 0812xxxx"
)
BURMESE_SCAM = "မြဝတီမှာ customer service အလုပ် လစာ ဒေါ်လာ ၁၂၀၀ အတွေ့အကြုံမလို လေယာဉ်လက်မှတ်အခမဲ့ telegram ဆက်သွယ်ရန်"
GENUINE = (
    "Hiring factory workers for Taiwan. Employer: ABC Electronics Co., Ltd., Taoyuan. "
    "Agency: Example Manpower Inc., DMW License No. 123-LB-0101-25. Salary NT$28,590 per month. "
    "Work visa processed by the employer. Standard employment contract. No placement fee."
)


def _signs(finding: Finding) -> dict[str, str]:
    return {hit.sign.id: hit.quote for hit in finding.hits}


def test_a_thai_scam_compound_advert(matcher: Matcher) -> None:
    finding = matcher.check(THAI_SCAM)
    assert finding.band is Band.MANY
    assert _signs(finding) == {
        "scam-work": "แอดมิน",
        "no-experience": "ไม่ต้องมีประสบการณ์",
        "free-travel": "ฟรีตั๋วเครื่องบิน",
        "chat-only": "ทักไลน์",
        "urgency": "รับด่วน",
        "compound-place": "กัมพูชา",
        "high-pay": "35,000 บาท",
    }
    assert [sign.id for sign in finding.missing] == ["no-employer", "no-licence", "no-work-visa", "no-contract"]


def test_an_indonesian_scam_advert_quotes_its_own_words(matcher: Matcher) -> None:
    finding = matcher.check(INDONESIAN_SCAM)
    assert finding.band is Band.MANY
    signs = _signs(finding)
    assert signs["scam-work"] == "CS online"
    assert signs["compound-place"] == "Kamboja"
    assert signs["high-pay"] == "Rp 15 juta"
    assert signs["no-experience"] == "tanpa pengalaman"
    assert signs["chat-only"] == "Minat hubungi"  # the earliest of its words
    assert finding.countries == ("KH",)


def test_a_burmese_scam_advert(matcher: Matcher) -> None:
    finding = matcher.check(BURMESE_SCAM)
    assert finding.band is Band.MANY
    signs = _signs(finding)
    assert signs["compound-place"] == "မြဝတီ"
    assert signs["high-pay"] == "ဒေါ်လာ ၁၂၀၀"
    assert signs["no-experience"] == "အတွေ့အကြုံမလို"


def test_burmese_typed_in_zawgyi_is_read_as_unicode(matcher: Matcher) -> None:
    finding = matcher.check("ကေမၻာဒီးယားမွာ အလုပ္ လစာ ျမင့္")  # "a job in Cambodia, high pay", in Zawgyi
    assert _signs(finding)["compound-place"] == "ကမ္ဘောဒီးယား"  # quoted as Unicode, readable on any phone


def test_a_genuine_job_order_gets_no_warning_band(matcher: Matcher) -> None:
    finding = matcher.check(GENUINE)
    assert finding.band is Band.NONE
    assert finding.hits == ()  # "No placement fee" is not a fee to pay
    assert finding.missing == ()


def test_fees_after_a_negation_do_not_count(matcher: Matcher) -> None:
    assert "fees" not in _signs(matcher.check("Zero placement fee. Tanpa biaya proses. ไม่เสียค่าดำเนินการ"))
    assert _signs(matcher.check("Placement fee: 30,000 pesos, pay first"))["fees"] == "Placement fee"


def test_signs_of_control(matcher: Matcher) -> None:
    signs = _signs(matcher.check("The company will keep your passport. No day off for the first 6 months."))
    assert signs["control"] == "company will keep your passport"


def test_pay_is_high_only_for_where_the_job_is(matcher: Matcher) -> None:
    assert "high-pay" not in _signs(matcher.check("Factory job in Korea, salary KRW 2,100,000 a month"))
    assert "high-pay" in _signs(matcher.check("Factory job in Cambodia, salary USD 2,100 a month"))
    assert "high-pay" in _signs(matcher.check("Online job, salary $3,000"))  # no destination: the default


def test_a_bare_15k_takes_the_currency_of_the_destination(matcher: Matcher) -> None:
    finding = matcher.check("Typing job in Sihanoukville, 15k a month")
    assert _signs(finding)["high-pay"] == "15k"
    assert finding.top_pay_usd == 15_000


def test_a_long_quote_is_shortened(matcher: Matcher) -> None:
    finding = matcher.check("fee " + "x" * 5)
    assert all(len(hit.quote) <= 40 for hit in finding.hits)


def test_no_signs_in_a_question(matcher: Matcher) -> None:
    finding = matcher.check(
        "How do I check a recruitment agency? I want to work in Japan with a work visa and a contract."
    )
    assert [hit.sign.id for hit in finding.hits] == []
    assert finding.band is not Band.MANY


def test_words_of_every_language_match_whatever_the_reader_speaks(matcher: Matcher) -> None:
    english_reader = matcher.check(INDONESIAN_SCAM)  # the matcher has no reader: every locale's words count
    assert english_reader.band is Band.MANY
