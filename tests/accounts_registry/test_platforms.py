"""Platform rules for the account register: validation messages and canonical identities."""

import pytest
from django.core.exceptions import ValidationError

from accounts_registry.platforms import PLATFORMS, AccountIdentity, Platform, identify, rules_for


def errors(platform, **fields) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        identify(platform, **fields)
    return {field: messages[0] for field, messages in caught.value.message_dict.items()}


def key_of(platform, value) -> str:
    """The key for a value typed in whichever box an officer would use for it."""
    return identify(platform, **({"profile_url": value} if "/" in value else {"handle": value})).key


SAME_ACCOUNT = {
    Platform.X: [
        "@NorthfieldCC",
        "northfieldcc",
        "https://x.com/NorthfieldCC",
        "http://twitter.com/northfieldcc/",
        "https://mobile.twitter.com/NorthfieldCC?ref=abc",
        "www.x.com/NorthfieldCC",
        "HTTPS://X.COM/NORTHFIELDCC#top",
        "https://x.com/NorthfieldCC/media",
    ],
    Platform.FACEBOOK: [
        "northfieldcouncil",
        "@Northfield.Council",
        "https://www.facebook.com/NorthfieldCouncil/",
        "http://m.facebook.com/northfieldcouncil?ref=bookmarks",
        "https://fb.com/northfield.council",
        "https://www.facebook.com/northfieldcouncil/photos",
    ],
    Platform.INSTAGRAM: [
        "@northfield_cc",
        "https://instagram.com/Northfield_CC",
        "http://www.instagram.com/northfield_cc/?hl=en",
        "https://www.instagram.com/northfield_cc/reels/",
    ],
    Platform.YOUTUBE: [
        "@NorthfieldCouncil",
        "northfieldcouncil",
        "https://m.youtube.com/@northfieldcouncil/videos",
    ],
    Platform.LINKEDIN: [
        "northfield-council",
        "https://www.linkedin.com/company/Northfield-Council/",
        "https://uk.linkedin.com/company/northfield-council/posts?trk=x",
    ],
    Platform.TIKTOK: ["@northfield.cc", "https://www.tiktok.com/@Northfield.CC?lang=en"],
    Platform.FLICKR: [
        "northfieldcc",
        "https://flickr.com/photos/NorthfieldCC/albums",
        "https://www.flickr.com/people/northfieldcc/",
    ],
    Platform.NEXTDOOR: [
        "northfield-council",
        "https://nextdoor.co.uk/agency-detail/england/northfield/northfield-council/",
        "https://www.nextdoor.co.uk/pages/Northfield-Council/?init_source=share",
    ],
    Platform.BLUESKY: ["@Northfield.bsky.social", "https://bsky.app/profile/northfield.bsky.social/"],
    Platform.THREADS: [
        "@northfield_cc",
        "https://www.threads.net/@Northfield_CC",
        "https://threads.com/@northfield_cc/",
    ],
}


@pytest.mark.parametrize(("platform", "forms"), SAME_ACCOUNT.items())
def test_every_form_of_an_account_has_the_same_key(platform, forms):
    assert {key_of(platform, form) for form in forms} == {key_of(platform, forms[0])}


# platform, handle typed, link typed -> handle shown, key, canonical link
# fmt: off
CANONICAL = [
    ("x", "northfieldCC", "", "@northfieldCC", "northfieldcc", "https://x.com/northfieldCC"),
    ("x", "", "http://twitter.com/NorthfieldCC/", "@NorthfieldCC", "northfieldcc", "https://x.com/NorthfieldCC"),
    ("facebook", "Northfield.Council", "", "Northfield.Council", "northfieldcouncil", "https://www.facebook.com/Northfield.Council"),
    ("facebook", "", "https://m.facebook.com/profile.php?id=100064&ref=x", "100064", "id:100064", "https://www.facebook.com/profile.php?id=100064"),
    ("facebook", "", "https://www.facebook.com/people/Northfield-Parks/100064/", "people/Northfield-Parks/100064", "id:100064", "https://www.facebook.com/profile.php?id=100064"),
    ("facebook", "", "https://www.facebook.com/Northfield-Parks-1234567/", "Northfield-Parks-1234567", "id:1234567", "https://www.facebook.com/profile.php?id=1234567"),
    ("facebook", "", "https://facebook.com/groups/NorthfieldResidents", "groups/NorthfieldResidents", "groups/northfieldresidents", "https://www.facebook.com/groups/NorthfieldResidents"),
    ("instagram", "@Northfield_CC", "", "@Northfield_CC", "northfield_cc", "https://www.instagram.com/Northfield_CC/"),
    ("youtube", "@Northfield", "", "@Northfield", "northfield", "https://www.youtube.com/@Northfield"),
    ("youtube", "", "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/videos", "channel/UCabcdefghijklmnopqrstuv", "channel/ucabcdefghijklmnopqrstuv", "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv"),
    ("youtube", "", "https://youtube.com/user/NorthfieldTV", "user/NorthfieldTV", "user/northfieldtv", "https://www.youtube.com/user/NorthfieldTV"),
    ("youtube", "", "https://youtube.com/NorthfieldTV", "c/NorthfieldTV", "c/northfieldtv", "https://www.youtube.com/c/NorthfieldTV"),
    ("linkedin", "", "https://www.linkedin.com/showcase/northfield-libraries/about/", "showcase/northfield-libraries", "showcase/northfield-libraries", "https://www.linkedin.com/showcase/northfield-libraries/"),
    ("tiktok", "northfield.cc", "", "@northfield.cc", "northfield.cc", "https://www.tiktok.com/@northfield.cc"),
    ("flickr", "", "https://www.flickr.com/photos/12345678@N02", "12345678@N02", "12345678@n02", "https://www.flickr.com/photos/12345678@N02/"),
    ("nextdoor", "northfield-council", "", "northfield-council", "northfield-council", ""),
    ("nextdoor", "", "https://nextdoor.co.uk/agency/northfield-council/?x=1", "northfield-council", "northfield-council", "https://nextdoor.co.uk/agency/northfield-council/"),
    ("bluesky", "@northfield.gov.uk", "", "@northfield.gov.uk", "northfield.gov.uk", "https://bsky.app/profile/northfield.gov.uk"),
    ("bluesky", "", "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx", "did:plc:abcdefghijklmnopqrstuvwx", "did:plc:abcdefghijklmnopqrstuvwx", "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx"),
    ("threads", "", "https://www.threads.net/@northfield_cc", "@northfield_cc", "northfield_cc", "https://www.threads.com/@northfield_cc"),
    ("whatsapp", "Northfield News", "https://www.whatsapp.com/channel/0029VaAbCdEfGhIjKlMnOp12?utm=x", "Northfield News", "0029VaAbCdEfGhIjKlMnOp12", "https://whatsapp.com/channel/0029VaAbCdEfGhIjKlMnOp12"),
    ("other", "", "http://www.Mastodon.social/@Northfield/", "mastodon.social/@northfield", "mastodon.social/@northfield", "https://www.mastodon.social/@Northfield"),
    ("other", "Northfield on Mastodon", "https://mastodon.social/@northfield", "Northfield on Mastodon", "mastodon.social/@northfield", "https://mastodon.social/@northfield"),
]
# fmt: on


@pytest.mark.parametrize(("platform", "handle", "url", "shown", "key", "canonical"), CANONICAL)
def test_canonical_identity(platform, handle, url, shown, key, canonical):
    assert identify(platform, handle, url) == AccountIdentity(shown, key, canonical)


@pytest.mark.parametrize(("platform", "handle", "url", "shown", "key", "canonical"), CANONICAL)
def test_a_saved_identity_validates_again_unchanged(platform, handle, url, shown, key, canonical):
    assert identify(platform, shown, canonical) == AccountIdentity(shown, key, canonical)


def test_a_link_pasted_into_the_handle_box_is_read_as_a_link():
    assert identify("x", handle="https://twitter.com/NorthfieldCC?s=20") == identify(
        "x", handle="@NorthfieldCC"
    )


def test_handle_and_link_for_the_same_account_keep_the_typed_handle():
    found = identify("x", handle="northfieldcc", profile_url="https://twitter.com/NorthfieldCC")
    assert found == AccountIdentity("@northfieldcc", "northfieldcc", "https://x.com/NorthfieldCC")


def test_handle_and_link_for_different_accounts_is_an_error():
    assert errors("x", handle="@NorthfieldCC", profile_url="https://x.com/NorthfieldParks") == {
        "handle": "The handle and the profile link point to different accounts: @NorthfieldCC and @NorthfieldParks."
    }


def test_a_link_from_another_platform_names_it():
    assert errors("instagram", profile_url="https://www.facebook.com/northfieldcouncil") == {
        "profile_url": "This is a Facebook link, not an Instagram one. "
        "Choose Facebook as the platform or use the account's Instagram link."
    }
    assert errors("facebook", handle="https://x.com/NorthfieldCC")["handle"].startswith(
        "This is an X link, not a Facebook one."
    )
    assert (
        errors("other", profile_url="https://youtu.be/abc")["profile_url"]
        == "This is a YouTube link. Choose YouTube as the platform."
    )


def test_a_link_off_the_platform_is_an_error():
    message = errors("x", profile_url="https://www.northfield.gov.uk/x")["profile_url"]
    assert message.startswith("This link is not on X.")


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("x", "https://x.com/NorthfieldCC/status/1790000000000000000"),
        ("x", "https://t.co/abc123"),
        ("facebook", "https://www.facebook.com/northfieldcouncil/posts/pfbid0abc"),
        ("facebook", "https://www.facebook.com/watch/?v=123"),
        ("facebook", "https://www.facebook.com/groups/northfield/posts/123/"),
        ("facebook", "https://www.facebook.com/share/p/1AbCdEf/"),
        ("facebook", "https://fb.watch/abc/"),
        ("instagram", "https://www.instagram.com/p/C1abcDEF/"),
        ("instagram", "https://www.instagram.com/reel/C1abcDEF/"),
        ("youtube", "https://youtu.be/dQw4w9WgXcQ"),
        ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("youtube", "https://www.youtube.com/shorts/dQw4w9WgXcQ"),
        ("linkedin", "https://www.linkedin.com/posts/northfield-council_activity-123"),
        ("tiktok", "https://www.tiktok.com/@northfield.cc/video/7300000000000000000"),
        ("tiktok", "https://vm.tiktok.com/ZMabc123/"),
        ("flickr", "https://www.flickr.com/photos/northfieldcc/53000000000/"),
        ("bluesky", "https://bsky.app/profile/northfield.bsky.social/post/3kabc"),
        ("threads", "https://www.threads.net/@northfield_cc/post/C1abc"),
    ],
)
def test_a_link_to_a_single_post_is_an_error(platform, url):
    message = errors(platform, profile_url=url)["profile_url"]
    assert "single post" in message
    assert rules_for(platform).example in message


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("x", "https://x.com/home"),
        ("x", "https://x.com/i/lists/123"),
        ("x", "https://twitter.com/search?q=northfield"),
        ("x", "https://twitter.com/intent/tweet?text=hi"),
        ("x", "https://x.com/"),
        ("facebook", "https://www.facebook.com/search/top?q=northfield"),
        ("facebook", "https://www.facebook.com/profile.php"),
        ("instagram", "https://www.instagram.com/explore/tags/northfield/"),
        ("youtube", "https://www.youtube.com/results?search_query=northfield"),
        ("youtube", "https://www.youtube.com/channel/not-a-channel-id"),
        ("linkedin", "https://www.linkedin.com/feed"),
        ("tiktok", "https://www.tiktok.com/discover/northfield"),
        ("flickr", "https://www.flickr.com/photos/tags/northfield"),
        ("nextdoor", "https://nextdoor.co.uk/neighborhood/northfield/"),
        ("bluesky", "https://bsky.app/search?q=northfield"),
        ("threads", "https://www.threads.net/search"),
    ],
)
def test_a_link_to_a_page_that_is_not_an_account_is_an_error(platform, url):
    assert "doesn't go to an account" in errors(platform, profile_url=url)["profile_url"]


@pytest.mark.parametrize(
    ("platform", "handle"),
    [
        ("x", "@North-field"),
        ("x", "@sixteen_chars_xx"),
        ("facebook", "nfld"),
        ("facebook", "northfield_council"),
        ("instagram", "north field"),
        ("instagram", "@" + "a" * 31),
        ("youtube", "@nf"),
        ("tiktok", "@n"),
        ("linkedin", "-northfield"),
        ("bluesky", "northfield"),
        ("bluesky", "@northfield.bsky.social!"),
        ("threads", "@north field"),
    ],
)
def test_invalid_handles(platform, handle):
    assert f"not a valid {rules_for(platform).name} handle" in errors(platform, handle=handle)["handle"]


def test_invalid_handle_message_explains_the_rule():
    assert errors("x", handle="@North-field") == {
        "handle": "'North-field' is not a valid X handle. It should be 1 to 15 letters, numbers or underscores."
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("ftp://x.com/NorthfieldCC", "starting with https://"),
        ("javascript:alert(1)", "starting with https://"),
        ("https://", "starting with https://"),
        ("https://user:secret@x.com/NorthfieldCC", "user name or password"),
        ("https://x.com/Northfield CC", "can't contain spaces"),
    ],
)
def test_malformed_links(url, expected):
    assert expected in errors("x", profile_url=url)["profile_url"]


def test_a_personal_linkedin_profile_is_refused():
    message = errors("linkedin", profile_url="https://uk.linkedin.com/in/jane-smith-123")["profile_url"]
    assert "personal LinkedIn profile" in message
    assert "council's page" in message


def test_facebook_ignores_full_stops_and_case_in_usernames():
    assert key_of("facebook", "https://www.facebook.com/North.Field.Council") == "northfieldcouncil"
    assert key_of("facebook", "100064") == key_of("facebook", "https://facebook.com/profile.php?id=100064")


def test_whatsapp_channel_keys_keep_their_case():
    upper = identify("whatsapp", profile_url="https://whatsapp.com/channel/0029VaAbCdEfGhIjKlMnOp12")
    lower = identify("whatsapp", profile_url="https://whatsapp.com/channel/0029vaabcdefghijklmnop12")
    assert upper.key != lower.key


@pytest.mark.parametrize("platform", ["whatsapp", "other"])
def test_a_name_alone_is_not_enough_where_the_link_identifies_the_account(platform):
    assert list(errors(platform, handle="Northfield News")) == ["profile_url"]


def test_whatsapp_needs_a_channel_link():
    assert errors("whatsapp", handle="Northfield News")["profile_url"].startswith("Give the channel's link")
    assert (
        "isn't a WhatsApp channel link"
        in errors("whatsapp", profile_url="https://chat.whatsapp.com/AbC123")["profile_url"]
    )


def test_something_must_be_given():
    assert errors("x") == {"handle": "Enter the account's handle or the link to its profile page."}
    assert errors("x", handle="   ", profile_url="") == errors("x")


def test_every_platform_has_rules():
    assert set(PLATFORMS) == set(Platform.values)
    with pytest.raises(ValueError, match="Unknown platform"):
        rules_for("myspace")


def test_post_length_rules():
    limits = {value: rules.character_limit for value, rules in PLATFORMS.items()}
    assert limits == {
        "x": 280, "bluesky": 300, "threads": 500, "instagram": 2200, "facebook": 63206, "linkedin": 3000,
        "tiktok": 4000, "youtube": 5000, "flickr": None, "nextdoor": None, "whatsapp": None, "other": None,
    }  # fmt: skip
    assert rules_for("x").counts_links_as == 23
    assert {rules.counts_links_as for value, rules in PLATFORMS.items() if value != "x"} == {None}
