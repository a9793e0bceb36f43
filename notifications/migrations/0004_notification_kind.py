from django.db import migrations, models


def reset_rows_keep_no_link(apps, schema_editor):
    """Reset emails become rows that write a fresh link when sent; the links they kept are erased,
    sent or not (a pending or failed row gets a new link when it is next sent)."""
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(sensitive=True).update(kind="password_reset", body="")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_notification_sensitive"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[("message", "Message"), ("password_reset", "Password reset")],
                default="message",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(reset_rows_keep_no_link, migrations.RunPython.noop),
    ]
