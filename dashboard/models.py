"""Exports that may be large run in the background: one row per request, the file kept in private
storage (never under MEDIA_ROOT) and handed only to the person who asked for it."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone


def private_storage() -> FileSystemStorage:
    root = (
        getattr(settings, "DASHBOARD_EXPORTS_ROOT", None)
        or Path(settings.MEDIA_ROOT).parent / "private-exports"
    )
    return FileSystemStorage(location=root, base_url=None)


class ExportKind(models.TextChoices):
    DRAFTS = "drafts", "Drafts with their review decisions"
    AUDIT_PERIOD = "audit_period", "Audit trail of a period"
    AUDIT_RECORD = "audit_record", "Audit trail of one record"


class ExportStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to start"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Export(models.Model):
    kind = models.CharField(max_length=20, choices=ExportKind)
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    service_area = models.ForeignKey(
        "organisation.ServiceArea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    record_model = models.CharField(max_length=100, blank=True)  # "content_review.draft"
    record_pk = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ExportStatus, default=ExportStatus.WAITING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(storage=private_storage, max_length=200, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="audit_record") | Q(record_pk__isnull=False), name="export_record_named"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_file_format_display()})"

    @property
    def percent_done(self) -> int:
        if self.status == ExportStatus.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
