"""This app's roles as Django groups (oversight.discipline.roles)."""

from django.db import migrations

GROUP_NAMES = ["chief", "city_attorney", "named_employee", "union"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUP_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
