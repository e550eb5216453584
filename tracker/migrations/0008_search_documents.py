"""Stored full-text documents with GIN indexes, kept current by triggers."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


# The documents: English stems for ranking and matching, the ``simple`` configuration
# beside them so that any word (Hindi included) matches exactly as written. Weights
# are those of the original on-the-fly search: A title/name, B who (agencies,
# vendors), C the rest. Names of related entities count only while they are published.
SEARCH_SQL = """
CREATE FUNCTION tracker_search_text(body text, weight "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, coalesce(body, '')), weight)
        || setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), weight)
$$;

-- PL/pgSQL, not SQL: its plan is cached, where a SQL function with a FROM clause
-- would be planned again for every row a trigger writes.
CREATE FUNCTION tracker_published_agency_name(agency_id bigint, with_short boolean)
RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT CASE WHEN with_short THEN concat_ws(' ', a.name, a.short_name) ELSE a.name END
              FROM tracker_agency a WHERE a.id = agency_id AND a.publication = 'published');
END $$;

CREATE FUNCTION tracker_deployment_search() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER deployment_search_document BEFORE INSERT OR UPDATE ON tracker_deployment
    FOR EACH ROW EXECUTE FUNCTION tracker_deployment_search();

CREATE FUNCTION tracker_agency_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(concat_ws(' ', NEW.name, NEW.short_name), 'A')
        || tracker_search_text(concat_ws(' ', NEW.description, NEW.city), 'C');
    RETURN NEW;
END $$;
CREATE TRIGGER agency_search_document BEFORE INSERT OR UPDATE ON tracker_agency
    FOR EACH ROW EXECUTE FUNCTION tracker_agency_search();

CREATE FUNCTION tracker_hotspot_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(NEW.name, 'A')
        || tracker_search_text(concat_ws(' ', NEW.city, NEW.notes,
            tracker_published_agency_name(NEW.agency_id, false)), 'C');
    RETURN NEW;
END $$;
CREATE TRIGGER hotspot_search_document BEFORE INSERT OR UPDATE ON tracker_hotspot
    FOR EACH ROW EXECUTE FUNCTION tracker_hotspot_search();

CREATE FUNCTION tracker_rtirequest_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(concat_ws(' ', NEW.title, NEW.reference_number), 'A')
        || tracker_search_text(tracker_published_agency_name(NEW.authority_id, false), 'B')
        || tracker_search_text(NEW.application_text, 'C');
    RETURN NEW;
END $$;
CREATE TRIGGER rtirequest_search_document BEFORE INSERT OR UPDATE ON tracker_rtirequest
    FOR EACH ROW EXECUTE FUNCTION tracker_rtirequest_search();

CREATE FUNCTION tracker_source_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(NEW.title, 'A')
        || tracker_search_text(concat_ws(' ', NEW.publisher, NEW.url), 'C');
    RETURN NEW;
END $$;
CREATE TRIGGER source_search_document BEFORE INSERT OR UPDATE ON tracker_source
    FOR EACH ROW EXECUTE FUNCTION tracker_source_search();

-- A deployment's partners or vendors changed: rewrite its document (once per statement).
CREATE FUNCTION tracker_deployment_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tracker_deployment SET search_document = NULL
     WHERE id IN (SELECT deployment_id FROM changed_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER partner_added AFTER INSERT ON tracker_deployment_partner_agencies
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_deployment_links_changed();
CREATE TRIGGER partner_removed AFTER DELETE ON tracker_deployment_partner_agencies
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_deployment_links_changed();
CREATE TRIGGER vendor_added AFTER INSERT ON tracker_deployment_vendors
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_deployment_links_changed();
CREATE TRIGGER vendor_removed AFTER DELETE ON tracker_deployment_vendors
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_deployment_links_changed();

-- An agency renamed, published or withdrawn: rewrite the documents that carry its name.
CREATE FUNCTION tracker_agency_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER agency_names_changed AFTER UPDATE ON tracker_agency
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_agency_names_changed();

CREATE FUNCTION tracker_vendor_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tracker_deployment SET search_document = NULL
     WHERE id IN (SELECT dv.deployment_id FROM tracker_deployment_vendors dv
                   JOIN new_rows n ON n.id = dv.vendor_id
                   JOIN old_rows o ON o.id = n.id
                  WHERE n.name IS DISTINCT FROM o.name);
    RETURN NULL;
END $$;
CREATE TRIGGER vendor_names_changed AFTER UPDATE ON tracker_vendor
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_vendor_names_changed();

-- Fill the documents of the rows already there.
UPDATE tracker_agency SET search_document = NULL;
UPDATE tracker_deployment SET search_document = NULL;
UPDATE tracker_hotspot SET search_document = NULL;
UPDATE tracker_rtirequest SET search_document = NULL;
UPDATE tracker_source SET search_document = NULL;
"""

REVERSE_SQL = """
DROP TRIGGER vendor_names_changed ON tracker_vendor;
DROP TRIGGER agency_names_changed ON tracker_agency;
DROP TRIGGER vendor_removed ON tracker_deployment_vendors;
DROP TRIGGER vendor_added ON tracker_deployment_vendors;
DROP TRIGGER partner_removed ON tracker_deployment_partner_agencies;
DROP TRIGGER partner_added ON tracker_deployment_partner_agencies;
DROP TRIGGER source_search_document ON tracker_source;
DROP TRIGGER rtirequest_search_document ON tracker_rtirequest;
DROP TRIGGER hotspot_search_document ON tracker_hotspot;
DROP TRIGGER agency_search_document ON tracker_agency;
DROP TRIGGER deployment_search_document ON tracker_deployment;
DROP FUNCTION tracker_vendor_names_changed();
DROP FUNCTION tracker_agency_names_changed();
DROP FUNCTION tracker_deployment_links_changed();
DROP FUNCTION tracker_source_search();
DROP FUNCTION tracker_rtirequest_search();
DROP FUNCTION tracker_hotspot_search();
DROP FUNCTION tracker_agency_search();
DROP FUNCTION tracker_deployment_search();
DROP FUNCTION tracker_published_agency_name(bigint, boolean);
DROP FUNCTION tracker_search_text(text, "char");
"""


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0007_moderation_handover'),
    ]

    operations = [
        migrations.AddField(
            model_name='agency',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='deployment',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='hotspot',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='agency',
            index=django.contrib.postgres.indexes.GinIndex(fastupdate=False, fields=['search_document'], name='agency_search_document'),
        ),
        migrations.AddIndex(
            model_name='deployment',
            index=django.contrib.postgres.indexes.GinIndex(fastupdate=False, fields=['search_document'], name='deployment_search_document'),
        ),
        migrations.AddIndex(
            model_name='hotspot',
            index=django.contrib.postgres.indexes.GinIndex(fastupdate=False, fields=['search_document'], name='hotspot_search_document'),
        ),
        migrations.AddIndex(
            model_name='rtirequest',
            index=django.contrib.postgres.indexes.GinIndex(fastupdate=False, fields=['search_document'], name='rtirequest_search_document'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=django.contrib.postgres.indexes.GinIndex(fastupdate=False, fields=['search_document'], name='source_search_document'),
        ),
        migrations.RunSQL(SEARCH_SQL, REVERSE_SQL),
    ]
