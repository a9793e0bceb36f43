from django.db import migrations

# The parties a pre-election check looks for from the start; Comms add and remove names on the page.
DEFAULT_PARTIES = [
    "Conservative",
    "Labour",
    "Liberal Democrats",
    "Green Party",
    "Reform UK",
    "Plaid Cymru",
    "Scottish National Party",
    "SNP",
]


def add_parties(apps, schema_editor):
    PoliticalParty = apps.get_model("content_review", "PoliticalParty")
    for name in DEFAULT_PARTIES:
        PoliticalParty.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("content_review", "0006_approval_chains_and_pre_election")]

    operations = [migrations.RunPython(add_parties, migrations.RunPython.noop)]
