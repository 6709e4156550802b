"""The index of kept and broken promises by due time (the dashboards count them) is the
promise model's own; a database where the reports app created it keeps it, renamed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0007_inbox_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="promise",
                    index=models.Index(
                        condition=models.Q(("state__in", ["kept", "broken"])),
                        fields=["due_at"],
                        name="promise_resolved_due",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER INDEX IF EXISTS reports_promise_resolved_due "
                    "RENAME TO promise_resolved_due; "
                    "CREATE INDEX IF NOT EXISTS promise_resolved_due ON tickets_promise (due_at) "
                    "WHERE state IN ('kept', 'broken')",
                    "DROP INDEX IF EXISTS promise_resolved_due",
                ),
            ],
        ),
    ]
