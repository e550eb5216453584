"""A published RTI document's text joins its request's search document: a phrase from a
reply finds the request. Only the published copy's text is ever extracted."""

from django.db import migrations

SEARCH_SQL = """
CREATE OR REPLACE FUNCTION tracker_rtirequest_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(concat_ws(' ', NEW.title, NEW.reference_number), 'A')
        || tracker_search_text(tracker_published_agency_name(NEW.authority_id, false), 'B')
        || tracker_search_text(concat_ws(' ', NEW.application_text,
            tracker_state_names((SELECT a.state_id FROM tracker_agency a
                                  WHERE a.id = NEW.authority_id))), 'C')
        || tracker_search_text(
            (SELECT string_agg(d.text, ' ' ORDER BY d.id) FROM tracker_rtidocument d
              WHERE d.rti_request_id = NEW.id AND d.published_at IS NOT NULL), 'D');
    RETURN NEW;
END $$;

CREATE FUNCTION tracker_rtidocument_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE tracker_rtirequest SET search_document = NULL WHERE id = OLD.rti_request_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE tracker_rtirequest SET search_document = NULL WHERE id = NEW.rti_request_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER rtidocument_search AFTER INSERT OR DELETE OR UPDATE OF text, published_at
    ON tracker_rtidocument FOR EACH ROW EXECUTE FUNCTION tracker_rtidocument_changed();
"""

REVERSE_SQL = """
DROP TRIGGER rtidocument_search ON tracker_rtidocument;
DROP FUNCTION tracker_rtidocument_changed();
CREATE OR REPLACE FUNCTION tracker_rtirequest_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_text(concat_ws(' ', NEW.title, NEW.reference_number), 'A')
        || tracker_search_text(tracker_published_agency_name(NEW.authority_id, false), 'B')
        || tracker_search_text(concat_ws(' ', NEW.application_text,
            tracker_state_names((SELECT a.state_id FROM tracker_agency a
                                  WHERE a.id = NEW.authority_id))), 'C');
    RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("tracker", "0018_rti_live_deadlines_documents")]

    operations = [migrations.RunSQL(SEARCH_SQL, REVERSE_SQL)]
