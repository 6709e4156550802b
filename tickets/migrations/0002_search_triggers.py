"""Keep Ticket.search_vector current in the database itself.

Triggers rather than service code: tickets and messages are written by several services
(ingest, reply, merge), by bulk loads with COPY and by the benchmark generator; a trigger
sees them all. Turkish stemming exists from PostgreSQL 13 (snowball); older servers fall
back to 'simple'.
"""

from __future__ import annotations

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION helpdesk_ts_config(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE lang WHEN 'de' THEN 'german'::regconfig WHEN 'tr' THEN '{turkish}'::regconfig
         ELSE 'english'::regconfig END
$$;

CREATE OR REPLACE FUNCTION tickets_ticket_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cfg regconfig;
  cname text;
BEGIN
  SELECT helpdesk_ts_config(c.language), c.first_name || ' ' || c.last_name
    INTO cfg, cname FROM customers_customer c WHERE c.id = NEW.customer_id;
  NEW.search_vector :=
       setweight(to_tsvector(cfg, coalesce(NEW.subject, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(cname, '')), 'B')
    || coalesce((SELECT setweight(to_tsvector(cfg, string_agg(m.body_text, ' ')), 'C')
                 FROM tickets_message m WHERE m.ticket_id = NEW.id), ''::tsvector);
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION tickets_message_search_append() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets_ticket t
     SET search_vector = coalesce(t.search_vector, ''::tsvector)
         || setweight(to_tsvector(helpdesk_ts_config(c.language), coalesce(NEW.body_text, '')), 'C')
    FROM customers_customer c
   WHERE t.id = NEW.ticket_id AND c.id = t.customer_id;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION customers_customer_search_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Re-run the ticket trigger for this customer's tickets (name or language changed).
  UPDATE tickets_ticket SET subject = subject WHERE customer_id = NEW.id;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS ticket_search_refresh ON tickets_ticket;
CREATE TRIGGER ticket_search_refresh BEFORE INSERT OR UPDATE OF subject, customer_id
  ON tickets_ticket FOR EACH ROW EXECUTE FUNCTION tickets_ticket_search_refresh();
DROP TRIGGER IF EXISTS message_search_append ON tickets_message;
CREATE TRIGGER message_search_append AFTER INSERT OR UPDATE OF ticket_id
  ON tickets_message FOR EACH ROW EXECUTE FUNCTION tickets_message_search_append();
DROP TRIGGER IF EXISTS customer_search_touch ON customers_customer;
CREATE TRIGGER customer_search_touch AFTER UPDATE OF first_name, last_name, language
  ON customers_customer FOR EACH ROW
  WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name OR OLD.last_name IS DISTINCT FROM
        NEW.last_name OR OLD.language IS DISTINCT FROM NEW.language)
  EXECUTE FUNCTION customers_customer_search_touch();
"""

REVERSE = """
DROP TRIGGER IF EXISTS ticket_search_refresh ON tickets_ticket;
DROP TRIGGER IF EXISTS message_search_append ON tickets_message;
DROP TRIGGER IF EXISTS customer_search_touch ON customers_customer;
DROP FUNCTION IF EXISTS tickets_ticket_search_refresh();
DROP FUNCTION IF EXISTS tickets_message_search_append();
DROP FUNCTION IF EXISTS customers_customer_search_touch();
DROP FUNCTION IF EXISTS helpdesk_ts_config(text);
"""


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'turkish'")
        turkish = "turkish" if cursor.fetchone() else "simple"
        cursor.execute(FUNCTIONS.replace("{turkish}", turkish))
        cursor.execute("UPDATE tickets_ticket SET subject = subject")


def uninstall(apps, schema_editor):
    schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("customers", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
