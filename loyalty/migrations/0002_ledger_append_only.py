from django.db import migrations

# The ledger is append-only, like the audit trail: the database refuses UPDATE and DELETE
# on entries whatever the code path (ORM, raw SQL, admin). A correction is a new entry.
# TRUNCATE stays possible on purpose: the test suite flushes tables with it.
FORBID = """
CREATE FUNCTION loyalty_ledgerentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'loyalty_ledgerentry is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER loyalty_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON loyalty_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION loyalty_ledgerentry_append_only();
"""
ALLOW = """
DROP TRIGGER loyalty_ledgerentry_append_only ON loyalty_ledgerentry;
DROP FUNCTION loyalty_ledgerentry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
