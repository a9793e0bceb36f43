from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from content_review.models import (
    ApprovalChain,
    Campaign,
    Draft,
    DraftEvent,
    InboundMessage,
    MessageEvent,
    PreElectionPeriod,
    ReviewerAssignment,
    Revision,
    StandardResponse,
    StepApproval,
)


class ReadOnlyAdmin(ObjectPermissionsModelAdmin):
    """For finding records: changes go through the pages, which call the workflow's services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "account", "author", "status", "urgent", "updated_at"]
    list_filter = ["status", "kind", "urgent", "account__platform"]
    search_fields = ["text", "account__display_name", "author__first_name", "author__last_name"]
    list_select_related = ["account", "author"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "submitted_by", "submitted_at"]
    search_fields = ["text"]
    list_filter = ["submitted_at"]


@admin.register(DraftEvent)
class DraftEventAdmin(ReadOnlyAdmin):
    list_display = ["draft", "action", "actor", "created_at"]
    list_filter = ["action", "created_at"]
    search_fields = ["comment", "actor__first_name", "actor__last_name"]


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["sender_handle", "account", "received_at", "due_at", "replied_at", "breached_at"]
    list_filter = [
        "account__platform",
        "closed_code",
        ("hidden_at", admin.EmptyFieldListFilter),
        ("breached_at", admin.EmptyFieldListFilter),
        ("replied_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["sender_handle", "text", "account__display_name"]


@admin.register(MessageEvent)
class MessageEventAdmin(ReadOnlyAdmin):
    list_display = ["message", "action", "reason_code", "actor", "created_at"]
    list_filter = ["action", "reason_code", "created_at"]
    list_select_related = ["message", "message__account", "actor"]


@admin.register(StandardResponse)
class StandardResponseAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "review_by", "is_active"]
    list_filter = ["is_active", "review_by"]
    search_fields = ["title", "body"]


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(ObjectPermissionsModelAdmin):
    """Who reviews which account or service area: Comms set this here."""

    list_display = ["person", "account", "service_area"]
    list_filter = ["service_area"]
    search_fields = ["person__first_name", "person__last_name", "account__display_name", "service_area__name"]
    autocomplete_fields = ["person", "account", "service_area"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "starts_on", "ends_on", "owner", "service_area"]
    list_filter = ["service_area", "starts_on"]
    search_fields = ["name", "description"]
    list_select_related = ["owner", "service_area"]


@admin.register(ApprovalChain)
class ApprovalChainAdmin(ReadOnlyAdmin):
    """Chains are set on their page (Approval chains), which checks who may."""

    list_display = ["name", "account", "service_area", "campaign", "created_by"]
    search_fields = ["name"]
    list_select_related = ["account", "service_area", "campaign", "created_by"]


@admin.register(StepApproval)
class StepApprovalAdmin(ReadOnlyAdmin):
    list_display = ["draft", "position", "approved_by", "approved_at"]
    list_filter = ["approved_at"]
    list_select_related = ["draft__account", "approved_by"]


@admin.register(PreElectionPeriod)
class PreElectionPeriodAdmin(ReadOnlyAdmin):
    list_display = ["starts_on", "ends_on", "whole_council", "created_by"]
