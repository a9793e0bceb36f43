"""The record of every redaction: personal data removed from a record and its audit trail."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Func


class Redaction(models.Model):
    """What kind of personal data was removed, from which record, when, by whom (nobody: the
    retention sweep) and under which rule or for which reason: never the data itself.

    Append-only like the audit trail (core.history). The audit trail's own rows can be changed only
    in a transaction that has first written one of these, and only to replace values with the marker
    (core.redaction.MARKER): that is the one redaction path, and it always leaves this record."""

    created_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule = models.CharField(max_length=50, help_text="The retention rule's code, or “request”.")
    reason = models.TextField(max_length=1000)
    kind = models.CharField("kind of data", max_length=100, help_text="For example, a phone number.")
    record = models.CharField(max_length=100, help_text="The kind of record, e.g. content_review.draft.")
    record_id = models.CharField(max_length=50)
    fields = ArrayField(models.CharField(max_length=100), default=list)
    rows = models.PositiveIntegerField(default=0, help_text="Rows changed, audit trail included.")
    # The transaction that wrote it: the audit trail's trigger lets that transaction, and only that
    # one, replace values with the marker.
    txid = models.BigIntegerField(
        db_default=Func(function="txid_current", output_field=models.BigIntegerField())
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["txid"], name="redaction_txid"),
            models.Index(fields=["record", "record_id"], name="redaction_record"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} removed from {self.record} {self.record_id}"
