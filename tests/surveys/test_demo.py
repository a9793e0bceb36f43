"""The demo data reproduces the 2018 audit's figures, and is safe to load twice.

A TestCase, so the demo council is made once for the class (setUpTestData) and rolled back after."""

import io
import json

from django.core.management import call_command
from django.test import TestCase

from organisation.demo import create_demo_council
from surveys.demo import SLUG_2018, SLUG_NOW, create_demo_surveys
from surveys.models import Questionnaire, QuestionnaireStatus, Response, ResponseStatus
from surveys.report import report_json
from surveys.resources import responses_dataset
from surveys.selectors import counted_responses, questionnaire_report, questionnaire_spec
from surveys.services import responses_import


def report_2018() -> dict:
    out = io.StringIO()
    call_command("survey_report", SLUG_2018, "--format", "json", stdout=out)
    return json.loads(out.getvalue())["groups"]


class DemoSurveyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_demo_council()
        cls.first = create_demo_surveys()
        cls.second = create_demo_surveys()

    def test_loading_twice_adds_nothing_the_second_time(self):
        assert self.first > 53 and self.second == 0
        assert Response.objects.filter(questionnaire__slug=SLUG_2018).count() == 53

    def test_response_rates_and_users_match_the_audit(self):
        groups = report_2018()
        officer, councillor = groups["officer"], groups["councillor"]
        assert (officer["responses"], officer["invited"]) == (34, 52)
        assert (councillor["responses"], councillor["invited"]) == (19, 47)
        assert officer["questions"]["uses_social_media"]["options"]["yes"] == {"count": 15, "percent": 44.1}
        assert councillor["questions"]["uses_social_media"]["options"]["yes"] == {
            "count": 13,
            "percent": 68.4,
        }

    def test_platforms_review_and_support_match_the_audit(self):
        groups = report_2018()
        officer, councillor = groups["officer"]["questions"], groups["councillor"]["questions"]
        platforms = {code: o["count"] for code, o in officer["platforms"]["options"].items()}
        assert (platforms["twitter"], platforms["facebook"]) == (13, 7)
        platforms = {code: o["count"] for code, o in councillor["platforms"]["options"].items()}
        assert (platforms["twitter"], platforms["facebook"], platforms["youtube"]) == (10, 10, 3)
        assert (
            officer["reviews_posts"]["base"] == 15
            and officer["reviews_posts"]["options"]["yes"]["count"] == 7
        )
        assert "reviews_posts" not in councillor
        assert officer["support_wanted"]["base"] == 20
        assert [
            officer["support_wanted"]["options"][c]["count"]
            for c in ("unacceptable_behaviour", "building_audiences", "prepared_content")
        ] == [13, 11, 9]
        assert councillor["support_wanted"]["base"] == 5
        assert [
            councillor["support_wanted"]["options"][c]["count"]
            for c in ("unacceptable_behaviour", "building_audiences", "prepared_content")
        ] == [2, 4, 2]
        # The audit's other counts: how often, responding to the public, standard responses, review of
        # replies, blocking.
        often = {c: o["count"] for c, o in officer["frequency"]["options"].items()}
        assert often["daily"] + often["weekly"] == 9
        often = {c: o["count"] for c, o in councillor["frequency"]["options"].items()}
        assert (often["daily"] + often["weekly"], often["monthly"] + often["less_than_monthly"]) == (10, 3)
        assert officer["posted_by_comms"]["options"]["yes"]["count"] == 3
        assert officer["responds_to_public"]["options"]["yes"]["count"] == 12
        assert councillor["responds_to_public"]["options"]["yes"]["count"] == 9
        assert (
            officer["standard_responses"]["options"]["yes"]["count"],
            councillor["standard_responses"]["options"]["yes"]["count"],
        ) == (1, 2)
        assert officer["responses_reviewed"]["options"]["yes"]["count"] == 7
        assert officer["agreed_response_times"]["options"]["yes"]["count"] == 4
        assert (
            officer["blocked_anyone"]["options"]["yes"]["count"],
            councillor["blocked_anyone"]["options"]["yes"]["count"],
        ) == (1, 5)

    def test_benefit_and_risk_scores_match_the_audit_as_closely_as_consistent_rankings_allow(self):
        groups = report_2018()
        officer, councillor = groups["officer"]["questions"], groups["councillor"]["questions"]
        benefits = officer["benefits"]["weighted_average"]
        assert (benefits["engage_new_audiences"], benefits["promote_work"]) == (3.82, 3.58)
        assert max(benefits.values()) == 3.82 and sorted(benefits.values())[-2] == 3.58
        risks = officer["risks"]["weighted_average"]
        assert (risks["spread_of_content"], risks["public_posts"], risks["productivity"]) == (
            3.29,
            3.05,
            1.42,
        )
        assert sorted(risks.values(), reverse=True) == [3.29, 3.05, risks["staff_posts"], 1.42]
        benefits = councillor["benefits"]["weighted_average"]
        assert (benefits["engage_new_audiences"], benefits["listen_to_residents"]) == (4.4, 3.5)
        assert sorted(benefits.values())[-2:] == [3.5, 4.4]
        risks = councillor["risks"]["weighted_average"]
        # The audit says 1.89 for productivity: with rankings that run 1, 2, 3… the nearest possible is 1.90.
        assert risks == {
            "spread_of_content": 3.5,
            "public_posts": 2.3,
            "staff_posts": 2.3,
            "productivity": 1.9,
        }

    def test_every_demo_answer_is_valid_and_survives_export_and_import(self):
        questionnaire = Questionnaire.objects.get(slug=SLUG_2018)
        before = report_json(questionnaire_report(questionnaire))
        rows = counted_responses(questionnaire).order_by("submitted_at", "pk")
        exported = responses_dataset(
            questionnaire_spec(questionnaire),
            rows.values_list("respondent", "audience", "submitted_at", "answers"),
        ).export("csv")
        Response.objects.filter(questionnaire=questionnaire).delete()  # rolled back after the test
        # Excel's Windows-1252: every demo answer can be written in it.
        responses_import(questionnaire=questionnaire, by=None, data=exported.encode("cp1252"))
        assert report_json(questionnaire_report(questionnaire)) == before

    def test_this_years_run_is_open_part_answered_and_comparable(self):
        current = Questionnaire.objects.get(slug=SLUG_NOW)
        assert current.status == QuestionnaireStatus.OPEN and current.copied_from.slug == SLUG_2018
        report = questionnaire_report(current)
        assert report.group("officer").responses > 5 and report.group("councillor").responses > 5
        assert Response.objects.filter(
            questionnaire=current, status=ResponseStatus.IN_PROGRESS
        ).exists()  # some part-way
        # The demo sign-ins are left to answer it themselves.
        assert not Response.objects.filter(
            questionnaire=current,
            respondent__in=["head.of.service@northfield.gov.uk", "councillor@northfield.gov.uk"],
        ).exists()
