"""The reports read the event log by type and date (the period's findings, determinations,
decisions, appeals); an index on (type, date) serves them. It lives here, beside the reads
that need it, as plain SQL that both SQLite and PostgreSQL accept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_drafts"), ("cases", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reports_caseevent_type_date ON cases_caseevent (type, date, case_id)",
            "DROP INDEX IF EXISTS reports_caseevent_type_date",
        ),
    ]
