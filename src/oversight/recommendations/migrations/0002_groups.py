"""SPD's liaison for recommendations as a Django group (rules.access.SPD_LIAISON)."""

from django.db import migrations


def create_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="spd_liaison")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
