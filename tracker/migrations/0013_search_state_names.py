"""Search documents carry the names of the entry's state in English and Hindi (weight C), so a
search for "उत्तर प्रदेश" or "Uttar Pradesh" finds that state's entries whatever their text says.

An RTI request counts its authority's state. The documents are rewritten once;
the map-cell triggers are paused meanwhile, since no position or filter changes.
"""

from django.db import migrations

STATE_NAMES_SQL = """
CREATE FUNCTION tracker_state_names(state_code varchar) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT concat_ws(' ', s.name, s.name_hi,
                             (SELECT string_agg(a, ' ') FROM jsonb_array_elements_text(s.aliases) a))
              FROM tracker_state s WHERE s.code = state_code);
END $$;
"""

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION tracker_deployment_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        tracker_search_text(NEW.title, 'A')
        || tracker_search_text(concat_ws(' ',
            tracker_published_agency_name(NEW.lead_agency_id, true),
            (SELECT string_agg(a.name, ' ' ORDER BY a.name)
               FROM tracker_deployment_partner_agencies p
               JOIN tracker_agency a ON a.id = p.agency_id
              WHERE p.deployment_id = NEW.id AND a.publication = 'published'),
            (SELECT string_agg(v.name, ' ' ORDER BY v.name)
               FROM tracker_deployment_vendors dv
               JOIN tracker_vendor v ON v.id = dv.vendor_id
              WHERE dv.deployment_id = NEW.id)), 'B')
        || tracker_search_text(concat_ws(' ', NEW.summary, NEW.city, NEW.district,
            tracker_state_names(NEW.state_id)), 'C');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tracker_agency_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(concat_ws(' ', NEW.name, NEW.short_name), 'A')
        || tracker_search_text(concat_ws(' ', NEW.description, NEW.city,
            tracker_state_names(NEW.state_id)), 'C');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tracker_hotspot_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(NEW.name, 'A')
        || tracker_search_text(concat_ws(' ', NEW.city, NEW.notes,
            tracker_published_agency_name(NEW.agency_id, false),
            tracker_state_names(NEW.state_id)), 'C');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tracker_rtirequest_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(concat_ws(' ', NEW.title, NEW.reference_number), 'A')
        || tracker_search_text(tracker_published_agency_name(NEW.authority_id, false), 'B')
        || tracker_search_text(concat_ws(' ', NEW.application_text,
            tracker_state_names((SELECT a.state_id FROM tracker_agency a
                                  WHERE a.id = NEW.authority_id))), 'C');
    RETURN NEW;
END $$;

-- An agency renamed, moved to another state, published or withdrawn: rewrite the
-- documents that carry its name or its state.
CREATE OR REPLACE FUNCTION tracker_agency_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[] := ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.name, n.short_name, n.publication)
               IS DISTINCT FROM (o.name, o.short_name, o.publication));
    moved bigint[] := ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE n.state_id IS DISTINCT FROM o.state_id);
BEGIN
    IF cardinality(changed) > 0 THEN
        UPDATE tracker_deployment SET search_document = NULL
         WHERE lead_agency_id = ANY(changed)
            OR id IN (SELECT p.deployment_id FROM tracker_deployment_partner_agencies p
                       WHERE p.agency_id = ANY(changed));
        UPDATE tracker_hotspot SET search_document = NULL WHERE agency_id = ANY(changed);
    END IF;
    IF cardinality(changed || moved) > 0 THEN
        UPDATE tracker_rtirequest SET search_document = NULL
         WHERE authority_id = ANY(changed || moved);
    END IF;
    RETURN NULL;
END $$;
"""

REWRITE_SQL = """
ALTER TABLE tracker_deployment DISABLE TRIGGER deployment_map_cells_update;
ALTER TABLE tracker_hotspot DISABLE TRIGGER hotspot_map_cells_update;
UPDATE tracker_agency SET search_document = NULL;
UPDATE tracker_deployment SET search_document = NULL;
UPDATE tracker_hotspot SET search_document = NULL;
UPDATE tracker_rtirequest SET search_document = NULL;
ALTER TABLE tracker_deployment ENABLE TRIGGER deployment_map_cells_update;
ALTER TABLE tracker_hotspot ENABLE TRIGGER hotspot_map_cells_update;
"""

# Back to the functions of 0008_search_documents.
REVERSE_FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION tracker_deployment_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        tracker_search_text(NEW.title, 'A')
        || tracker_search_text(concat_ws(' ',
            tracker_published_agency_name(NEW.lead_agency_id, true),
            (SELECT string_agg(a.name, ' ' ORDER BY a.name)
               FROM tracker_deployment_partner_agencies p
               JOIN tracker_agency a ON a.id = p.agency_id
              WHERE p.deployment_id = NEW.id AND a.publication = 'published'),
            (SELECT string_agg(v.name, ' ' ORDER BY v.name)
               FROM tracker_deployment_vendors dv
               JOIN tracker_vendor v ON v.id = dv.vendor_id
              WHERE dv.deployment_id = NEW.id)), 'B')
        || tracker_search_text(concat_ws(' ', NEW.summary, NEW.city, NEW.district), 'C');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tracker_agency_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(concat_ws(' ', NEW.name, NEW.short_name), 'A')
        || tracker_search_text(concat_ws(' ', NEW.description, NEW.city), 'C');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tracker_hotspot_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(NEW.name, 'A')
        || tracker_search_text(concat_ws(' ', NEW.city, NEW.notes,
            tracker_published_agency_name(NEW.agency_id, false)), 'C');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tracker_rtirequest_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(concat_ws(' ', NEW.title, NEW.reference_number), 'A')
        || tracker_search_text(tracker_published_agency_name(NEW.authority_id, false), 'B')
        || tracker_search_text(NEW.application_text, 'C');
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tracker_agency_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[] := ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.name, n.short_name, n.publication)
               IS DISTINCT FROM (o.name, o.short_name, o.publication));
BEGIN
    IF cardinality(changed) = 0 THEN
        RETURN NULL;
    END IF;
    UPDATE tracker_deployment SET search_document = NULL
     WHERE lead_agency_id = ANY(changed)
        OR id IN (SELECT p.deployment_id FROM tracker_deployment_partner_agencies p
                   WHERE p.agency_id = ANY(changed));
    UPDATE tracker_hotspot SET search_document = NULL WHERE agency_id = ANY(changed);
    UPDATE tracker_rtirequest SET search_document = NULL WHERE authority_id = ANY(changed);
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0012_moderator_permissions"),
    ]

    operations = [
        migrations.RunSQL(STATE_NAMES_SQL, "DROP FUNCTION tracker_state_names(varchar);"),
        migrations.RunSQL(FUNCTIONS_SQL + REWRITE_SQL, REVERSE_FUNCTIONS_SQL + REWRITE_SQL),
    ]
