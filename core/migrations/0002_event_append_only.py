from django.db import migrations

# The audit trail is append-only: the database itself refuses UPDATE and DELETE, so no
# code path (ORM, raw SQL, admin) can rewrite history.
FORBID = """
CREATE FUNCTION core_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_event_append_only
    BEFORE UPDATE OR DELETE ON core_event
    FOR EACH ROW EXECUTE FUNCTION core_event_append_only();
"""
ALLOW = """
DROP TRIGGER core_event_append_only ON core_event;
DROP FUNCTION core_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
