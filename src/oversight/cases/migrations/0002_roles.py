"""The OPA roles as Django groups (oversight.rules.roles)."""

from django.db import migrations

ROLE_NAMES = ["intake", "investigator", "investigation_supervisor", "director", "administrator", "cpc_staff"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
