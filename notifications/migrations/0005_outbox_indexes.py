from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_notification_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(
            model_name="notification",
            name="sensitive",
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("status", "failed")), fields=["created_at"], name="outbox_failed"
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("status", "sent"), models.Q(("body", ""), _negated=True)),
                fields=["sent_at"],
                name="outbox_sent_body_kept",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("kind", "password_reset")),
                fields=["recipient", "created_at"],
                name="outbox_password_resets",
            ),
        ),
    ]
