import json

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from rules.contrib.admin import ObjectPermissionsModelAdmin

from surveys.figures import figures_changed
from surveys.models import Invitation, Option, Question, Questionnaire, Response


class FrozenStructureMixin:
    """Questions and options can be edited until someone answers; after that they are read-only
    (a new run is a copy: "Copy for a new run" on the questionnaire's page)."""

    def _frozen(self, obj) -> bool:
        questionnaire = obj if isinstance(obj, Questionnaire) else getattr(obj, "questionnaire", None)
        return bool(questionnaire and questionnaire.pk and questionnaire.is_frozen)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class QuestionInline(FrozenStructureMixin, admin.TabularInline):
    model = Question
    fields = [
        "position",
        "code",
        "text",
        "type",
        "required",
        "audiences",
        "show_if_question",
        "show_if_equals",
        "minimum",
        "maximum",
        "decimals",
    ]
    extra = 0
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(ObjectPermissionsModelAdmin):
    """The title can change at any time; the questions only until someone answers."""

    list_display = ["title", "slug", "audiences", "opens_on", "closes_on", "status"]
    list_filter = ["status", "opens_on", "closes_on"]
    search_fields = ["slug", "title", "description"]
    # The status moves only through its transitions, and the dates move it: both change on the
    # questionnaire's own page (Change the title or dates; Open, Close, Reopen), through the services.
    readonly_fields = ["status", "opens_on", "closes_on", "created_at", "created_by", "copied_from"]
    inlines = [QuestionInline]
    date_hierarchy = "opens_on"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return [*self.readonly_fields, "slug", "audiences"]
        return self.readonly_fields


class OptionInline(FrozenStructureMixin, admin.TabularInline):
    model = Option
    fields = ["position", "code", "label"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(ObjectPermissionsModelAdmin):
    list_display = ["code", "text", "type", "required", "questionnaire", "position"]
    list_filter = ["questionnaire", "type", "required"]
    search_fields = ["code", "text", "questionnaire__slug", "questionnaire__title"]
    list_select_related = ["questionnaire"]
    inlines = [OptionInline]
    raw_id_fields = ["show_if_question"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.questionnaire.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.questionnaire.is_frozen)


@admin.register(Invitation)
class InvitationAdmin(ObjectPermissionsModelAdmin):
    """Invitations are sent from the questionnaire's "Invite people" page, which emails them."""

    list_display = ["person", "questionnaire", "audience", "invited_at", "reminded_at", "answered"]
    list_filter = ["questionnaire", "audience", ("reminded_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__email", "person__first_name", "person__last_name", "questionnaire__slug"]
    list_select_related = ["person", "questionnaire", "response"]
    readonly_fields = ["questionnaire", "person", "audience", "invited_at", "invited_by", "reminded_at"]

    @admin.display(boolean=True, description="Answered")
    def answered(self, invitation: Invitation) -> bool:
        response = getattr(invitation, "response", None)
        return bool(response and response.is_submitted)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting one sent by mistake (allowed while it has no response) changes the number invited.
    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            figures_changed(obj.questionnaire_id)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            questionnaires = set(queryset.values_list("questionnaire_id", flat=True))
            super().delete_queryset(request, queryset)
            for pk in sorted(questionnaires):
                figures_changed(pk)


@admin.register(Response)
class ResponseAdmin(ObjectPermissionsModelAdmin):
    """Individual answers, for the Communications team only. Read-only: answers change only through
    the answering pages (before they are sent) or a new import; a response is voided on its page."""

    list_display = ["respondent", "questionnaire", "audience", "source", "status", "submitted_at"]
    list_filter = ["questionnaire", "audience", "source", "status"]
    search_fields = ["respondent", "questionnaire__slug"]
    list_select_related = ["questionnaire"]
    fields = [
        "questionnaire",
        "respondent",
        "audience",
        "source",
        "status",
        "started_at",
        "submitted_at",
        "answers_shown",
    ]
    readonly_fields = fields

    @admin.display(description="Answers")
    def answers_shown(self, response: Response) -> str:
        return format_html("<pre>{}</pre>", json.dumps(response.answers, indent=2, ensure_ascii=False))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
