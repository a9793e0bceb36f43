"""The pre-publication checks: a positive and a negative example for each, with offsets that point at the
matched item. Pure functions: no database."""

import pytest

from content_review.checks import CheckSettings, Finding, ImageInfo, check_text, is_valid_ni_number

SETTINGS = CheckSettings(council_phone_numbers=("+44 1632 960000",))


def found(text: str, platform: str = "facebook", **kwargs) -> list[tuple[str, str | None]]:
    """(code, the text each finding points at) for every finding."""
    kwargs.setdefault("settings", SETTINGS)
    return [
        (f.code, None if f.start is None else text[f.start : f.end])
        for f in check_text(text, platform, **kwargs)
    ]


def codes(text: str, **kwargs) -> set[str]:
    return {code for code, _ in found(text, **kwargs)}


@pytest.mark.parametrize(
    ("text", "code", "item"),
    [
        ("Email jane.doe@gmail.com for details.", "personal_data.email", "jane.doe@gmail.com"),
        ("Contact sam@northfield-leisure.co.uk.", "personal_data.email", "sam@northfield-leisure.co.uk"),
        ("Ofcom drama mobile: call 07700 900123 now", "personal_data.phone", "07700 900123"),
        ("Ring +44 7700 900456 today", "personal_data.phone", "+44 7700 900456"),
        ("Ring +44 (0)7700 900789 today", "personal_data.phone", "+44 (0)7700 900789"),
        ("Landline 020 7946 0018 please", "personal_data.phone", "020 7946 0018"),
        ("Mobile 07911123456.", "personal_data.phone", "07911123456"),
        ("My NI number is AB 12 34 56 C.", "personal_data.ni_number", "AB 12 34 56 C"),
        ("ni: ce123456d", "personal_data.ni_number", "ce123456d"),
        ("Pay to 20-00-00 12345678 today", "personal_data.bank_account", "20-00-00 12345678"),
        (
            "sort code 20 00 00, account number 12345678.",
            "personal_data.bank_account",
            "20 00 00, account number 12345678",
        ),
        ("account 12345678 sort code 200000", "personal_data.bank_account", "12345678 sort code 200000"),
        (
            "IBAN GB82 WEST 1234 5698 7654 32 THANKS",
            "personal_data.bank_account",
            "GB82 WEST 1234 5698 7654 32",
        ),
        ("IBAN GB82WEST12345698765432.", "personal_data.bank_account", "GB82WEST12345698765432"),
        ("Card 4111 1111 1111 1111 exp 12/27", "personal_data.card_number", "4111 1111 1111 1111"),
        ("Card 4111-1111-1111-1111 12/27", "personal_data.card_number", "4111-1111-1111-1111"),
        ("Card 5555555555554444.", "personal_data.card_number", "5555555555554444"),
        ("Amex 3782 822463 10005", "personal_data.card_number", "3782 822463 10005"),
        ("NHS number 943 476 5919.", "personal_data.nhs_number", "943 476 5919"),
        ("NHS no. 9434765919", "personal_data.nhs_number", "9434765919"),
        ("Come to SW1A 2AA on Friday", "personal_data.postcode", "SW1A 2AA"),
        ("Post code M1 1AE.", "personal_data.postcode", "M1 1AE"),
        ("She lives at 12 Acacia Avenue, Northfield", "personal_data.street_address", "12 Acacia Avenue"),
        ("Flat 2, 3a Old Mill Lane", "personal_data.street_address", "3a Old Mill Lane"),
        ("DOB: 12/03/1985.", "personal_data.date_of_birth", "12/03/1985"),
        ("Her date of birth is 3 March 1990", "personal_data.date_of_birth", "3 March 1990"),
        ("He was born on the 1st of January 1950.", "personal_data.date_of_birth", "1st of January 1950"),
    ],
)
def test_personal_data_found(text, code, item):
    assert (code, item) in found(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Email bins@northfield.gov.uk for details.", "personal_data.email"),
        ("Email Bins@Libraries.Northfield.GOV.UK", "personal_data.email"),
        ("See northfield.gov.uk/contact or https://northfield.gov.uk/a@b", "personal_data.email"),
        ("Our number: 01632 960000", "personal_data.phone"),  # on the council's list, compared in E.164
        ("Our number: +44 (0)1632 960 000", "personal_data.phone"),
        ("Open 10:30 to 16:00, 9.30-12.30 on Saturdays", "personal_data.phone"),
        ("Since 2024 we have recycled 123456 tonnes", "personal_data.phone"),
        ("The fair is on 01/02/2024 and 01.02.2024", "personal_data.phone"),
        ("Details at https://northfield.gov.uk/bins/07700900123", "personal_data.phone"),
        ("Call us on 496 0123", "personal_data.phone"),  # a local number without its area code
        ("Invalid prefix QQ 12 34 56 C", "personal_data.ni_number"),
        ("Invalid prefixes BG123456A GB123456A NK123456B ZZ123456D", "personal_data.ni_number"),
        ("Invalid letters DA123456A AO123456A", "personal_data.ni_number"),
        ("Wrong suffix AB123456E", "personal_data.ni_number"),
        ("We are open on 12 34 56 a", "personal_data.ni_number"),
        ("Reference 123456 from 2024", "personal_data.bank_account"),
        ("Sort code 20-00-00 is the branch", "personal_data.bank_account"),
        ("Order 12345678 is ready", "personal_data.bank_account"),
        ("IBAN GB82 WEST 1234 5698 7654 33", "personal_data.bank_account"),  # bad check digits
        ("Card 4111 1111 1111 1112", "personal_data.card_number"),  # fails Luhn
        ("Visit https://example.com/4111111111111111", "personal_data.card_number"),
        ("NHS number 943 476 5918", "personal_data.nhs_number"),  # wrong check digit
        ("The A3 2nd lane and covid19 nf1 1aa", "personal_data.postcode"),
        ("Mill Lane is closed; 5 Ways To Recycle", "personal_data.street_address"),
        ("In 2024 Market Street reopened", "personal_data.street_address"),
        ("The fair is on 12/03/2025. Book by 3 March 2025.", "personal_data.date_of_birth"),
        ("Born in 1950, the hall is listed", "personal_data.date_of_birth"),
    ],
)
def test_personal_data_not_found(text, code):
    assert code not in codes(text)


def test_personal_data_severities():
    text = "jane@gmail.com SW1A 2AA 12 Acacia Avenue DOB 12/03/1985 AB123456C"
    severities = {f.code: f.severity for f in check_text(text, "facebook", settings=SETTINGS)}
    assert severities == {
        "personal_data.email": "block",
        "personal_data.postcode": "warn",
        "personal_data.street_address": "warn",
        "personal_data.date_of_birth": "warn",
        "personal_data.ni_number": "block",
    }


def test_one_number_one_finding():
    # A card number is not also a phone or NHS number; the bank details are one finding.
    assert found("4111 1111 1111 1111 and 20-00-00 12345678") == [
        ("personal_data.card_number", "4111 1111 1111 1111"),
        ("personal_data.bank_account", "20-00-00 12345678"),
    ]


def test_messages_do_not_repeat_personal_data():
    (finding,) = check_text("Call 07700 900123", "facebook", settings=SETTINGS)
    assert "900123" not in finding.message


@pytest.mark.parametrize("number", ["AB123456C", "ab 12 34 56 c", "CE 123456 D", "ZY123456A"])
def test_ni_number_valid(number):
    assert is_valid_ni_number(number)


@pytest.mark.parametrize(
    "number",
    [
        *(f"{prefix}123456A" for prefix in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")),
        *(f"{first}A123456A" for first in "DFIQUV"),
        *(f"A{second}123456A" for second in "DFIOQUV"),
        "AB123456E",
        "AB12345C",
        "AB1234567C",
        "A1123456C",
    ],
)
def test_ni_number_invalid(number):
    assert not is_valid_ni_number(number)


def test_council_settings_come_from_django(settings):
    settings.CONTENT_CHECK_COUNCIL_EMAIL_DOMAINS = ("northfield.org.uk",)
    settings.CONTENT_CHECK_COUNCIL_PHONE_NUMBERS = ("07700 900123",)
    text = "help@northfield.org.uk, help@northfield.gov.uk, +447700900123"
    assert found(text, settings=None) == [("personal_data.email", "help@northfield.gov.uk")]


# --- Length -----------------------------------------------------------------------------------------------


def test_x_limit():
    assert "length.over_limit" not in codes("a" * 280, platform="x")
    text = "a" * 281
    (finding,) = check_text(text, "x", settings=SETTINGS)
    assert (finding.code, finding.severity, finding.start, finding.end) == (
        "length.over_limit",
        "block",
        280,
        281,
    )
    assert "281" in finding.message and "280" in finding.message


def test_x_counts_a_link_as_23():
    link = "https://www.northfield.gov.uk/" + "bins/" * 60
    assert len(link) > 280
    assert "length.over_limit" not in codes(f"Collections change. {link}", platform="x")
    bare = "northfield.gov.uk/waste-and-recycling/collections"  # X links a bare domain too
    assert "length.over_limit" not in codes("a" * 256 + " " + bare, platform="x")  # 256 + 1 + 23 = 280


def test_x_link_crossing_the_limit_starts_the_finding_at_the_link():
    text = "a" * 260 + " https://northfield.gov.uk/bins and more"
    (finding,) = check_text(text, "x", settings=SETTINGS)
    assert finding.start == 261 and finding.end == len(text)
    assert text[finding.start :].startswith("https://")


def test_x_counts_emoji_as_two():
    assert "length.over_limit" not in codes("Yes " + "👍🏽" * 138, platform="x")  # a skin tone adds nothing
    text = "a" * 278 + "😀😀"  # 278 + 2 + 2
    assert found(text, platform="x") == [("length.over_limit", "😀")]


def test_other_platforms_count_as_typed():
    link = "https://www.northfield.gov.uk/" + "x" * 300
    (finding,) = check_text(link, "bluesky", settings=SETTINGS)  # 300 characters, links as typed
    assert (finding.code, finding.start, finding.end) == ("length.over_limit", 300, len(link))
    assert "length.over_limit" not in codes("a" * 300, platform="bluesky")


def test_platform_without_limit_never_fires():
    assert "length.over_limit" not in codes("Good news. " * 10_000, platform="nextdoor")


def test_unknown_platform():
    with pytest.raises(ValueError, match="Unknown platform"):
        check_text("Hello", "myspace", settings=SETTINGS)


# --- Accessibility ----------------------------------------------------------------------------------------


def test_image_without_alt_text_blocks():
    images = [ImageInfo("bins.jpg", ""), ImageInfo("blank.jpg", "   "), ImageInfo("ok.jpg", "A green bin")]
    findings = check_text("New bins", "facebook", images=images, settings=SETTINGS)
    assert [(f.code, f.severity, f.start, f.end) for f in findings] == [
        ("accessibility.image_alt_missing", "block", None, None)
    ] * 2
    assert "bins.jpg" in findings[0].message


def test_image_with_alt_text_is_fine():
    assert check_text("New bins", "facebook", images=[ImageInfo("ok.jpg", "A bin")], settings=SETTINGS) == []


@pytest.mark.parametrize(
    "tag", ["#recyclingweek", "#binday", "#mentalhealth", "#northfieldcouncil", "#RECYCLING"]
)
def test_hashtag_case_warns(tag):
    text = f"Join in {tag} today"
    assert found(text) == [("accessibility.hashtag_case", tag)]
    assert check_text(text, "facebook", settings=SETTINGS)[0].severity == "warn"


@pytest.mark.parametrize(
    "tag",
    ["#Northfield", "#recycling", "#northfield", "#RecyclingWeek", "#NHS", "#holiday", "#saturday", "#2024"],
)
def test_hashtag_case_fine(tag):
    assert found(f"Join in {tag} today") == []


def test_hashtag_inside_a_link_is_not_a_hashtag():
    assert found("See https://northfield.gov.uk/page#recyclingweek") == []


@pytest.mark.parametrize(
    ("line", "item"), [("🎉🎉 🎉", "🎉🎉 🎉"), ("  👍🏽 ", "👍🏽"), ("👨‍👩‍👧", "👨‍👩‍👧")]
)
def test_emoji_only_line_warns(line, item):
    assert found(f"Great news\n{line}\nSee you there") == [("accessibility.emoji_only_line", item)]


def test_emoji_in_a_sentence_is_fine():
    assert found("Great news 🎉\nSee you there 👍") == []


# --- Plain English ----------------------------------------------------------------------------------------

HARD = (
    "In accordance with the aforementioned consultation, the council's environmental sustainability "
    "committee has determined that comprehensive infrastructural modifications necessitate considerable "
    "administrative deliberation before implementation."
)
EASY = (
    "We empty your bins every week. Put them out by seven in the morning. If we miss your bin, tell us "
    "and we will come back. Thank you for your help."
)


def test_hard_text_warns():
    findings = check_text(HARD, "facebook", settings=SETTINGS)
    assert [(f.code, f.severity, f.start, f.end) for f in findings] == [
        ("readability.low_reading_ease", "warn", None, None)
    ]
    assert "60" in findings[0].message


def test_easy_text_is_fine():
    assert found(EASY) == []


def test_threshold_is_configurable():
    assert found(EASY, settings=CheckSettings(reading_ease_threshold=101)) == [
        ("readability.low_reading_ease", None)
    ]


def test_short_text_is_not_scored():
    assert found("Comprehensive infrastructural modifications necessitate administrative deliberation.") == []


# --- Findings ---------------------------------------------------------------------------------------------


def test_findings_sorted_by_start_then_code_whole_post_last():
    text = f"{HARD} #recyclingweek 07700 900123\n🎉"
    findings = check_text(text, "facebook", images=[ImageInfo("a.jpg", "")], settings=SETTINGS)
    assert [f.code for f in findings] == [
        "accessibility.hashtag_case",
        "personal_data.phone",
        "accessibility.emoji_only_line",
        "accessibility.image_alt_missing",
        "readability.low_reading_ease",
    ]


def test_as_dict():
    finding = Finding("personal_data.email", "block", 0, 5, "Remove it.")
    assert finding.as_dict() == {
        "code": "personal_data.email",
        "severity": "block",
        "start": 0,
        "end": 5,
        "message": "Remove it.",
    }
