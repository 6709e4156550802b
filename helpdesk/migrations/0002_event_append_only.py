from django.db import migrations

# The audit trail is append-only: the database itself refuses UPDATE and DELETE, so no
# code path (ORM, raw SQL, admin) can rewrite history.
FORBID = """
CREATE FUNCTION helpdesk_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'helpdesk_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER helpdesk_event_append_only
    BEFORE UPDATE OR DELETE ON helpdesk_event
    FOR EACH ROW EXECUTE FUNCTION helpdesk_event_append_only();
"""
ALLOW = """
DROP TRIGGER helpdesk_event_append_only ON helpdesk_event;
DROP FUNCTION helpdesk_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
