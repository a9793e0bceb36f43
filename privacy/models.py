"""What the retention sweep did (per rule, per run: counts, never the data) and who asked what the
service holds about a member of the public (who and when: never the handle, nor the answer)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RetentionRun(models.Model):
    """One rule's part of one sweep: how many records it anonymised (rows: with their audit trail)."""

    rule = models.CharField(max_length=50)
    as_of = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    records = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["rule", "-started_at"], name="retentionrun_rule_latest")]

    def __str__(self) -> str:
        return f"{self.rule} on {self.as_of}: {self.records}"


class SubjectAccessRequest(models.Model):
    """A search for everything held about one member of the public. The handle is not kept: keeping
    it would hold on to the very data a later erasure removes."""

    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    how = models.CharField(max_length=20, help_text="The page, its download, or the command.")
    sections = models.PositiveIntegerField(default=0, help_text="How many kinds of record were found.")

    class Meta:
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"
