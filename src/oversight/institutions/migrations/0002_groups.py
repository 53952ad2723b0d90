"""The roles this app adds to the access model, as Django groups: the City Clerk, who records
appointments, and a department's records officer (oversight.rules.access)."""

from django.db import migrations

ROLE_NAMES = ["city_clerk", "records_officer"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_appointments_staffing_scenes_referrals"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
