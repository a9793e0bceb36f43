"""The courses the 2018 audit names, and the starting rules for who needs them (training.seed)."""

from django.db import migrations


def seed(apps, schema_editor):
    from training.seed import seed_courses

    seed_courses(apps.get_model("training", "Course"), apps.get_model("training", "Requirement"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
