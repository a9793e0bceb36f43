"""The audit trail's guard, in the database: its rows can be neither deleted nor changed, except
that a transaction which has written a core_redaction row may replace values with the marker
"[removed]" (whole values, or parts of a text). core.history installs the trigger on every
append-only table after each migrate."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION core_text_only_removed(old_text text, new_text text, marker text)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    parts text[];
    pos integer := 1;
    found integer;
    k integer;
BEGIN
    IF new_text IS NOT DISTINCT FROM old_text OR new_text = '' OR new_text IS NULL THEN
        RETURN true;
    END IF;
    IF position(marker IN new_text) = 0 THEN
        RETURN false;
    END IF;
    -- The new text must be the old one with some stretches replaced by the marker.
    parts := string_to_array(new_text, marker);
    k := array_length(parts, 1);
    IF left(old_text, length(parts[1])) <> parts[1] THEN
        RETURN false;
    END IF;
    pos := length(parts[1]) + 1;
    FOR i IN 2 .. k - 1 LOOP
        IF parts[i] <> '' THEN
            found := strpos(substr(old_text, pos), parts[i]);
            IF found = 0 THEN
                RETURN false;
            END IF;
            pos := pos + found - 1 + length(parts[i]);
        END IF;
    END LOOP;
    RETURN right(old_text, length(parts[k])) = parts[k]
        AND length(old_text) - length(parts[k]) + 1 >= pos;
END $$;

CREATE OR REPLACE FUNCTION core_only_removed(old_value jsonb, new_value jsonb, marker text)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    key text;
BEGIN
    IF old_value IS NOT DISTINCT FROM new_value THEN
        RETURN true;
    END IF;
    IF jsonb_typeof(old_value) = 'string' THEN
        RETURN new_value IS NULL OR jsonb_typeof(new_value) = 'null'
            OR (jsonb_typeof(new_value) = 'string'
                AND core_text_only_removed(old_value #>> '{}', new_value #>> '{}', marker));
    END IF;
    IF jsonb_typeof(old_value) = 'object' AND jsonb_typeof(new_value) = 'object' THEN
        IF (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(old_value) k)
           IS DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(new_value) k) THEN
            RETURN false;
        END IF;
        FOR key IN SELECT jsonb_object_keys(old_value) LOOP
            IF NOT core_only_removed(old_value -> key, new_value -> key, marker) THEN
                RETURN false;
            END IF;
        END LOOP;
        RETURN true;
    END IF;
    IF jsonb_typeof(old_value) = 'array' AND jsonb_typeof(new_value) = 'array' THEN
        IF jsonb_array_length(old_value) <> jsonb_array_length(new_value) THEN
            RETURN false;
        END IF;
        FOR i IN 0 .. jsonb_array_length(old_value) - 1 LOOP
            IF NOT core_only_removed(old_value -> i, new_value -> i, marker) THEN
                RETURN false;
            END IF;
        END LOOP;
        RETURN true;
    END IF;
    RETURN false;  -- numbers, booleans, dates and links to other rows never change
END $$;

CREATE OR REPLACE FUNCTION core_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'The audit trail cannot be deleted (%).', TG_TABLE_NAME;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM core_redaction WHERE txid = txid_current()) THEN
        RAISE EXCEPTION 'The audit trail cannot be changed (%): personal data leaves it only through the redaction path.', TG_TABLE_NAME;
    END IF;
    IF NOT core_only_removed(to_jsonb(OLD), to_jsonb(NEW), '[removed]') THEN
        RAISE EXCEPTION 'A redaction may only replace personal data with [removed] (%).', TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION core_redaction_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The record of redactions cannot be changed or deleted.';
END $$;

CREATE TRIGGER core_redaction_kept BEFORE UPDATE OR DELETE ON core_redaction
    FOR EACH ROW EXECUTE FUNCTION core_redaction_kept();
"""

REVERSE = """
DROP TRIGGER IF EXISTS core_redaction_kept ON core_redaction;
DROP FUNCTION IF EXISTS core_redaction_kept();
DROP FUNCTION IF EXISTS core_append_only() CASCADE;
DROP FUNCTION IF EXISTS core_only_removed(jsonb, jsonb, text);
DROP FUNCTION IF EXISTS core_text_only_removed(text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_redaction")]

    operations = [migrations.RunSQL(FUNCTIONS, REVERSE)]
