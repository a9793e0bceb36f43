"""What every URL answers to every persona (issue 9, "every URL, every role"), checked by
tests/security/test_url_matrix.py, which walks Django's URL resolver: a URL without an entry here
fails that test.

One dict per app (the top-level module of the URL's view), so an app adds its own dict and one line in
PER_APP. Each entry names the record its URL arguments come from (a key of the `world` fixture in
test_url_matrix.py: "none" for no arguments) and the status each column gets, for a GET and for an
empty POST, in the order of COLUMNS:

    anonymous, comms, officer, reviewer, head_of_service, councillor, auditor, outsider (signed in, no
    role), other_officer and other_head_of_service (of another service area than the records').

How to read the codes: 302 for anonymous is "sent to sign in"; 403 a refusal that says why; 404 where
even the record's existence is not theirs to know; 405 a method the page does not take; 200 on an
empty POST is the form shown again with its errors; a 302 on an empty POST a page whose action needs
no fields (each is rolled back before the next request)."""

from typing import NamedTuple

COLUMNS = (
    "anonymous",
    "comms",
    "officer",
    "reviewer",
    "head_of_service",
    "councillor",
    "auditor",
    "outsider",
    "other_officer",
    "other_head_of_service",
)

# Namespaces whose URLs are not walked, with the ones that are: the admin's hundreds of model pages are
# covered by tests/security/test_admin_lookups.py; its front page is here.
SKIPPED_NAMESPACES = {"admin": {"index"}}


class Entry(NamedTuple):
    args: str
    get: tuple[int, ...]
    post: tuple[int, ...]


def E(args: str, *, get: str, post: str) -> Entry:
    codes = tuple(int(code) for code in get.split()), tuple(int(code) for code in post.split())
    assert all(len(row) == len(COLUMNS) for row in codes), f"one status per column: {COLUMNS}"
    return Entry(args, *codes)


def entries() -> dict[str, Entry]:
    table = {}
    for app_entries in PER_APP.values():
        table.update(app_entries)
    return table


#                      anon comms officer reviewer head councillor auditor outsider other_officer other_head

DJANGO = {
    "login": E(
        "none", get="200 302 302 302 302 302 302 302 302 302", post="200 302 302 302 302 302 302 302 302 302"
    ),
    "logout": E(
        "none", get="302 405 405 405 405 405 405 405 405 405", post="302 302 302 302 302 302 302 302 302 302"
    ),
    "password_reset": E(
        "none", get="200 200 200 200 200 200 200 200 200 200", post="200 200 200 200 200 200 200 200 200 200"
    ),
    "password_reset_done": E(
        "none", get="200 200 200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405 405 405"
    ),
    "password_reset_confirm": E(
        "reset", get="200 200 200 200 200 200 200 200 200 200", post="200 200 200 200 200 200 200 200 200 200"
    ),
    "password_reset_complete": E(
        "none", get="200 200 200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405 405 405"
    ),
    "password_change": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 200 200 200 200 200 200 200 200 200"
    ),
    "password_change_done": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "admin:index": E(
        "none", get="302 200 302 302 302 302 302 302 302 302", post="302 200 302 302 302 302 302 302 302 302"
    ),
}

CORE = {
    "home": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accessibility": E(
        "none", get="200 200 200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405 405 405"
    ),
    "history": E(
        "history",
        get="302 200 403 403 403 403 200 403 403 403",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
}

ORGANISATION = {
    "people:list": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "people:detail": E(
        "person",
        get="302 200 403 403 403 403 200 403 403 403",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "people:mark_left": E(
        "person",
        get="302 200 403 403 403 403 403 403 403 403",
        post="302 200 403 403 403 403 403 403 403 403",
    ),
    "people:role_grant_new": E(
        "person",
        get="302 200 403 403 403 403 403 403 403 403",
        post="302 200 403 403 403 403 403 403 403 403",
    ),
    "people:role_grants": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "people:role_grant": E(
        "role_grant",
        get="302 200 403 403 403 403 200 403 403 403",
        post="302 302 403 403 403 403 403 403 403 403",
    ),
}

NOTIFICATIONS = {
    "notifications:preference": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 200 200 200 200 200 200 200 200 200"
    ),
}

ACCOUNTS_REGISTRY = {
    "accounts:list": E(
        "none", get="302 200 200 200 200 200 200 403 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:mine": E(
        "none", get="302 200 200 200 200 200 200 403 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:summary": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:export_csv": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:export_xlsx": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:import": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
    "accounts:import_template_csv": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:import_template_xlsx": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:import_allowed_values": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:import_preview": E(
        "account_import",
        get="302 200 403 403 403 403 403 403 403 403",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "accounts:import_confirm": E(
        "account_import",
        get="302 405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 403 403 403 403",
    ),
    "accounts:import_again": E(
        "account_import",
        get="302 405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 403 403 403 403",
    ),
    "accounts:import_discard": E(
        "account_import",
        get="302 405 405 405 405 405 405 405 405 405",
        post="302 302 403 403 403 403 403 403 403 403",
    ),
    "accounts:request": E(
        "none", get="302 200 200 200 403 200 403 403 200 403", post="302 200 200 200 403 200 403 403 200 403"
    ),
    "accounts:handover": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "accounts:transfer": E(
        "person_pk",
        get="302 200 403 403 403 403 403 403 403 403",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "accounts:transfer_to": E(
        "person_pk",
        get="302 302 403 403 403 403 403 403 403 403",
        post="302 302 403 403 403 403 403 403 403 403",
    ),
    "accounts:transfer_deputies": E(
        "person_pk",
        get="302 302 403 403 403 403 403 403 403 403",
        post="302 302 403 403 403 403 403 403 403 403",
    ),
    "accounts:detail": E(
        "account",
        get="302 200 200 404 200 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "accounts:edit": E(
        "account",
        get="302 200 200 404 403 404 403 404 404 404",
        post="302 200 200 404 403 404 403 404 404 404",
    ),
    "accounts:decide": E(
        "account",
        get="302 403 403 404 403 404 403 404 404 404",
        post="302 403 403 404 403 404 403 404 404 404",
    ),
    "accounts:status": E(
        "account",
        get="302 200 403 404 403 404 403 404 404 404",
        post="302 200 403 404 403 404 403 404 404 404",
    ),
    "accounts:check": E(
        "account",
        get="302 200 403 404 403 404 403 404 404 404",
        post="302 200 403 404 403 404 403 404 404 404",
    ),
}

CONTENT_REVIEW = {
    "content:mine": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "content:queue": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "content:new": E(
        "none", get="302 200 200 403 403 403 403 403 403 403", post="302 200 200 403 403 403 403 403 403 403"
    ),
    "content:urgent": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
    "content:check": E(
        "none", get="302 405 405 405 405 405 405 405 405 405", post="302 200 200 200 200 200 200 200 200 200"
    ),
    "content:inbox": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "content:inbound_new": E(
        "none", get="302 200 200 403 403 403 403 403 403 403", post="302 200 200 403 403 403 403 403 403 403"
    ),
    "content:message": E(
        "message",
        get="302 200 200 200 200 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "content:reply": E(
        "message_pk",
        get="302 200 200 403 403 404 403 404 404 404",
        post="302 200 200 403 403 404 403 404 404 404",
    ),
    "content:no_reply": E(
        "message",
        get="302 200 200 403 403 404 403 404 404 404",
        post="302 200 200 403 403 404 403 404 404 404",
    ),
    "content:hide": E(
        "message",
        get="302 200 200 403 403 404 403 404 404 404",
        post="302 200 200 403 403 404 403 404 404 404",
    ),
    "content:responses": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "content:response_new": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
    "content:response_edit": E(
        "standard_response",
        get="302 200 403 403 403 403 403 403 403 403",
        post="302 200 403 403 403 403 403 403 403 403",
    ),
    "content:detail": E(
        "draft", get="302 200 200 200 200 404 200 404 404 404", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "content:edit": E(
        "draft", get="302 403 200 403 403 404 403 404 404 404", post="302 403 200 403 403 404 403 404 404 404"
    ),
    "content:submit": E(
        "draft", get="302 405 405 405 405 405 405 405 405 405", post="302 403 302 403 403 404 403 404 404 404"
    ),
    "content:decide": E(
        "draft", get="302 403 403 403 403 404 403 404 404 404", post="302 403 403 403 403 404 403 404 404 404"
    ),
    "content:publish": E(
        "draft", get="302 403 403 403 403 404 403 404 404 404", post="302 403 403 403 403 404 403 404 404 404"
    ),
    "content:withdraw": E(
        "draft", get="302 200 200 403 403 404 403 404 404 404", post="302 200 200 403 403 404 403 404 404 404"
    ),
    "content:comment": E(
        "draft", get="302 405 405 405 405 405 405 405 405 405", post="302 200 200 200 200 404 403 404 404 404"
    ),
    "content:image": E(
        "draft", get="302 405 405 405 405 405 405 405 405 405", post="302 403 200 403 403 404 403 404 404 404"
    ),
    "content:image_file": E(
        "draft_image",
        get="302 200 200 200 200 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "content:image_remove": E(
        "draft_image",
        get="302 405 405 405 405 405 405 405 405 405",
        post="302 403 302 403 403 404 403 404 404 404",
    ),
    "content:post_review": E(
        "draft", get="302 405 405 405 405 405 405 405 405 405", post="302 403 403 403 403 404 403 404 404 404"
    ),
}

BLOCKING = {
    "blocking:home": E(
        "none", get="302 200 200 200 403 200 302 403 200 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "blocking:refer": E(
        "none", get="302 200 200 200 403 200 403 403 200 403", post="302 200 200 200 403 200 403 403 200 403"
    ),
    "blocking:referral": E(
        "referral",
        get="302 200 200 404 404 404 404 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "blocking:decide": E(
        "referral",
        get="302 200 403 404 404 404 404 404 404 404",
        post="302 200 403 404 404 404 404 404 404 404",
    ),
    "blocking:add_information": E(
        "referral",
        get="302 403 403 404 404 404 404 404 404 404",
        post="302 403 403 404 404 404 404 404 404 404",
    ),
    "blocking:withdraw": E(
        "referral",
        get="302 405 405 405 405 405 405 405 405 405",
        post="302 403 302 404 404 404 404 404 404 404",
    ),
    "blocking:register": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "blocking:record": E(
        "none", get="302 200 200 200 403 200 403 403 200 403", post="302 200 200 200 403 200 403 403 200 403"
    ),
    "blocking:import": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
    "blocking:block": E(
        "block", get="302 200 200 404 404 404 404 404 404 404", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "blocking:confirm": E(
        "block", get="302 403 403 404 404 404 404 404 404 404", post="302 403 403 404 404 404 404 404 404 404"
    ),
    "blocking:reverse": E(
        "block", get="302 403 403 404 404 404 404 404 404 404", post="302 403 403 404 404 404 404 404 404 404"
    ),
    "blocking:review": E(
        "block", get="302 200 403 404 404 404 404 404 404 404", post="302 200 403 404 404 404 404 404 404 404"
    ),
    "blocking:appeal_new": E(
        "block", get="302 200 403 404 404 404 404 404 404 404", post="302 200 403 404 404 404 404 404 404 404"
    ),
    "blocking:appeals": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "blocking:appeal": E(
        "appeal",
        get="302 200 200 404 404 404 404 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "blocking:answer": E(
        "appeal",
        get="302 200 403 404 404 404 404 404 404 404",
        post="302 200 403 404 404 404 404 404 404 404",
    ),
    "blocking:person": E(
        "none", get="302 404 403 403 403 403 403 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "blocking:evidence": E(
        "evidence",
        get="302 200 200 404 404 404 404 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "blocking:report": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "blocking:report_csv": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "blocking:report_xlsx": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
}

SURVEYS = {
    "surveys:list": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "surveys:new": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
    "surveys:compare": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "surveys:start": E(
        "invitation",
        get="302 404 200 404 404 404 404 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:answer": E(
        "invitation",
        get="302 404 302 404 404 404 404 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:question": E(
        "invitation_question",
        get="302 404 200 404 404 404 404 404 404 404",
        post="302 404 200 404 404 404 404 404 404 404",
    ),
    "surveys:check": E(
        "invitation",
        get="302 404 200 404 404 404 404 404 404 404",
        post="302 404 200 404 404 404 404 404 404 404",
    ),
    "surveys:done": E(
        "invitation",
        get="302 404 302 404 404 404 404 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:detail": E(
        "questionnaire",
        get="302 200 404 404 404 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:definition": E(
        "questionnaire",
        get="302 200 404 404 404 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:edit": E(
        "questionnaire",
        get="302 200 404 404 404 404 403 404 404 404",
        post="302 200 404 404 404 404 403 404 404 404",
    ),
    "surveys:copy": E(
        "questionnaire",
        get="302 200 404 404 404 404 403 404 404 404",
        post="302 200 404 404 404 404 403 404 404 404",
    ),
    "surveys:invite": E(
        "questionnaire",
        get="302 200 404 404 404 404 403 404 404 404",
        post="302 200 404 404 404 404 403 404 404 404",
    ),
    "surveys:open": E(
        "questionnaire",
        get="302 403 404 404 404 404 403 404 404 404",
        post="302 403 404 404 404 404 403 404 404 404",
    ),
    "surveys:close": E(
        "questionnaire",
        get="302 200 404 404 404 404 403 404 404 404",
        post="302 200 404 404 404 404 403 404 404 404",
    ),
    "surveys:reopen": E(
        "questionnaire",
        get="302 403 404 404 404 404 403 404 404 404",
        post="302 403 404 404 404 404 403 404 404 404",
    ),
    "surveys:import": E(
        "questionnaire",
        get="302 200 404 404 404 404 403 404 404 404",
        post="302 200 404 404 404 404 403 404 404 404",
    ),
    "surveys:export_responses": E(
        "questionnaire",
        get="302 200 404 404 404 404 403 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:responses": E(
        "questionnaire",
        get="302 200 404 404 404 404 403 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:response": E(
        "response",
        get="302 200 404 404 404 404 404 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:void": E(
        "response",
        get="302 200 404 404 404 404 404 404 404 404",
        post="302 200 404 404 404 404 404 404 404 404",
    ),
    "surveys:report": E(
        "questionnaire",
        get="302 200 404 404 404 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:comments": E(
        "questionnaire",
        get="302 200 404 404 404 404 403 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:report_csv": E(
        "questionnaire",
        get="302 200 404 404 404 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "surveys:report_xlsx": E(
        "questionnaire",
        get="302 200 404 404 404 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
}

TRAINING = {
    "training:mine": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "training:catalogue": E(
        "none", get="302 200 200 200 200 200 200 200 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "training:course": E(
        "course",
        get="302 200 200 200 200 200 200 200 200 200",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "training:person": E(
        "person",
        get="302 200 200 404 200 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "training:request_list": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "training:request_new": E(
        "none", get="302 200 200 200 200 200 403 200 200 200", post="302 200 200 200 200 200 403 200 200 200"
    ),
    "training:request": E(
        "training_request",
        get="302 200 200 404 404 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "training:request_withdraw": E(
        "training_request",
        get="302 405 405 405 405 405 405 405 405 405",
        post="302 403 302 404 404 404 403 404 404 404",
    ),
    "training:request_decline": E(
        "training_request",
        get="302 200 403 404 404 404 403 404 404 404",
        post="302 200 403 404 404 404 403 404 404 404",
    ),
    "training:request_schedule": E(
        "training_request",
        get="302 200 403 404 404 404 403 404 404 404",
        post="302 200 403 404 404 404 403 404 404 404",
    ),
    "training:session_list": E(
        "none", get="302 200 403 403 403 403 200 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "training:session_new": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "training:session_create": E(
        "course_pk",
        get="302 200 403 403 403 403 403 403 403 403",
        post="302 200 403 403 403 403 403 403 403 403",
    ),
    "training:session": E(
        "session",
        get="302 200 200 200 200 200 200 200 200 200",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "training:session_book": E(
        "session",
        get="302 405 405 405 405 405 405 405 405 405",
        post="302 302 403 302 302 302 403 302 302 302",
    ),
    "training:session_attendance": E(
        "session",
        get="302 403 403 403 403 403 403 403 403 403",
        post="302 403 403 403 403 403 403 403 403 403",
    ),
    "training:session_cancel": E(
        "session",
        get="302 200 403 403 403 403 403 403 403 403",
        post="302 200 403 403 403 403 403 403 403 403",
    ),
    "training:booking": E(
        "booking",
        get="302 200 200 404 404 404 200 404 404 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "training:booking_cancel": E(
        "booking",
        get="302 405 405 405 405 405 405 405 405 405",
        post="302 302 302 404 404 404 403 404 404 404",
    ),
    "training:compliance": E(
        "none", get="302 200 403 403 200 403 200 403 403 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "training:compliance_csv": E(
        "none", get="302 200 403 403 200 403 200 403 403 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "training:compliance_xlsx": E(
        "none", get="302 200 403 403 200 403 200 403 403 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "training:import": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
}


CONTENT_REVIEW_PLANNING_AND_PRIVACY = {
    "content:message_redact": E(
        "message",
        get="302 200 403 403 403 404 403 404 404 404",
        post="302 200 403 403 403 404 403 404 404 404",
    ),
    "content:chains": E(
        "none", get="302 200 403 403 200 403 403 403 403 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "content:chain_new": E(
        "none", get="302 200 403 403 200 403 403 403 403 200", post="302 200 403 403 200 403 403 403 403 200"
    ),
    "content:chain_edit": E(
        "chain", get="302 200 403 403 200 403 403 403 403 403", post="302 200 403 403 200 403 403 403 403 403"
    ),
    "content:chain_delete": E(
        "chain", get="302 405 405 405 405 405 405 405 405 405", post="302 302 403 403 302 403 403 403 403 403"
    ),
    "content:pre_election": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
    "content:pre_election_new": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
    "content:pre_election_edit": E(
        "pre_election_period",
        get="302 200 403 403 403 403 403 403 403 403",
        post="302 200 403 403 403 403 403 403 403 403",
    ),
    "content:redact": E(
        "draft", get="302 200 403 403 403 404 403 404 404 404", post="302 200 403 403 403 404 403 404 404 404"
    ),
}

PLANNING = {
    "planning:calendar": E(
        "none", get="302 200 200 200 200 403 200 403 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "planning:month": E(
        "none", get="302 200 200 200 200 403 200 403 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "planning:week": E(
        "none", get="302 200 200 200 200 403 200 403 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "planning:feed": E(
        "none", get="302 200 200 200 200 403 200 403 200 200", post="302 302 302 302 302 403 302 403 302 302"
    ),
    "planning:ics": E(
        "feed", get="200 200 200 200 200 200 200 200 200 200", post="405 405 405 405 405 405 405 405 405 405"
    ),
    "planning:campaigns": E(
        "none", get="302 200 200 200 200 403 200 403 200 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "planning:campaign_new": E(
        "none", get="302 200 200 200 200 403 403 403 200 200", post="302 200 200 200 200 403 403 403 200 200"
    ),
    "planning:campaign": E(
        "campaign",
        get="302 200 200 200 200 404 200 404 200 200",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "planning:campaign_edit": E(
        "campaign",
        get="302 200 200 403 403 404 403 404 403 403",
        post="302 200 200 403 403 404 403 404 403 403",
    ),
    "planning:campaign_posts": E(
        "campaign",
        get="302 200 200 403 403 404 403 404 403 403",
        post="302 302 302 403 403 404 403 404 403 403",
    ),
    "planning:campaign_approve": E(
        "campaign",
        get="302 200 403 403 403 404 403 404 403 403",
        post="302 200 403 403 403 404 403 404 403 403",
    ),
}

DASHBOARD = {
    "dashboard:home": E(
        "none", get="302 200 403 403 200 403 200 403 403 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "dashboard:export_csv": E(
        "none", get="302 200 403 403 200 403 200 403 403 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "dashboard:export_xlsx": E(
        "none", get="302 200 403 403 200 403 200 403 403 200", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "dashboard:records": E(
        "dashboard_figure",
        get="302 200 403 403 200 403 200 403 403 200",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "dashboard:exports": E(
        "none", get="302 200 403 403 200 403 200 403 403 200", post="302 200 403 403 200 403 200 403 403 200"
    ),
    "dashboard:export": E(
        "export",
        get="302 200 403 403 404 403 404 403 403 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
    "dashboard:export_download": E(
        "export",
        get="302 404 403 403 404 403 404 403 403 404",
        post="302 405 405 405 405 405 405 405 405 405",
    ),
}

PRIVACY = {
    "privacy:rules": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 405 405 405 405 405 405 405 405 405"
    ),
    "privacy:subject_access": E(
        "none", get="302 200 403 403 403 403 403 403 403 403", post="302 200 403 403 403 403 403 403 403 403"
    ),
}

PER_APP = {
    "django": DJANGO,
    "core": CORE,
    "organisation": ORGANISATION,
    "notifications": NOTIFICATIONS,
    "accounts_registry": ACCOUNTS_REGISTRY,
    "content_review": CONTENT_REVIEW,
    "blocking": BLOCKING,
    "surveys": SURVEYS,
    "training": TRAINING,
    "content_review (chains, redaction)": CONTENT_REVIEW_PLANNING_AND_PRIVACY,
    "planning": PLANNING,
    "dashboard": DASHBOARD,
    "privacy": PRIVACY,
}
