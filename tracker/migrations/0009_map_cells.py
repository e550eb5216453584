"""Map clusters counted ahead: a grid of counts per zoom, kept current by triggers.

``tracker_map_cell`` holds, for every zoom up to ``PRECOUNTED_MAX_ZOOM`` of
tracker.catalogue.clusters, the number of published points and the sums of
their coordinates per grid cell and per value of the map's cheap filters
(state; for deployments also technology, status, purpose class and the
year announced). Statement-level
triggers add what a statement inserted and subtract what it deleted, so a
COPY of a million hotspots updates the grid in one aggregate, not a million.
"""

from django.db import migrations

ZOOMS = 14  # keep equal to tracker.catalogue.clusters.PRECOUNTED_MAX_ZOOM

# cell size at zoom z: 64 pixels of a 256-pixel tile = 90 / 2^z degrees
CELL = "(90.0 / (1 << z))"


def delta_sql(layer, table, sign, dims):
    return f"""
    INSERT INTO tracker_map_cell AS c
        (layer, zoom, cx, cy, state_id, technology, status, purpose_class, year, n, sx, sy)
    SELECT '{layer}', z, floor(ST_X(r.location) / {CELL})::integer,
           floor(ST_Y(r.location) / {CELL})::integer, {dims},
           {sign} * count(*), {sign} * sum(ST_X(r.location)), {sign} * sum(ST_Y(r.location))
      FROM {table} r CROSS JOIN generate_series(0, {ZOOMS}) AS z
     WHERE r.publication = 'published' AND r.location IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (layer, zoom, cx, cy, state_id, technology, status, purpose_class, year)
    DO UPDATE SET n = c.n + EXCLUDED.n, sx = c.sx + EXCLUDED.sx, sy = c.sy + EXCLUDED.sy;"""


DEPLOYMENT_DIMS = (
    "coalesce(r.state_id, ''), r.technology, r.status, r.purpose_class, "
    "coalesce(extract(year FROM r.announced_on)::smallint, 0)"
)
HOTSPOT_DIMS = "coalesce(r.state_id, ''), '', '', '', 0"


def trigger_sql(layer, source, dims):
    name = f"tracker_{source}_map_cells"
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        {delta_sql(layer, "old_rows", -1, dims)}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {delta_sql(layer, "new_rows", 1, dims)}
    END IF;
    DELETE FROM tracker_map_cell WHERE n = 0 AND layer = '{layer}';
    RETURN NULL;
END $$;
CREATE TRIGGER {source}_map_cells_insert AFTER INSERT ON tracker_{source}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE TRIGGER {source}_map_cells_update AFTER UPDATE ON tracker_{source}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE TRIGGER {source}_map_cells_delete AFTER DELETE ON tracker_{source}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}();
-- TRUNCATE (a test flush, an operator's reset) empties the layer too.
CREATE FUNCTION {name}_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tracker_map_cell WHERE layer = '{layer}';
    RETURN NULL;
END $$;
CREATE TRIGGER {source}_map_cells_truncate AFTER TRUNCATE ON tracker_{source}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}_emptied();
"""


FORWARD = f"""
CREATE TABLE tracker_map_cell (
    layer char(1) NOT NULL,
    zoom smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    state_id varchar(6) NOT NULL,
    technology varchar(30) NOT NULL,
    status varchar(20) NOT NULL,
    purpose_class varchar(20) NOT NULL,
    year smallint NOT NULL,
    n integer NOT NULL,
    sx double precision NOT NULL,
    sy double precision NOT NULL,
    PRIMARY KEY (layer, zoom, cx, cy, state_id, technology, status, purpose_class, year)
);
{trigger_sql("d", "deployment", DEPLOYMENT_DIMS)}
{trigger_sql("h", "hotspot", HOTSPOT_DIMS)}
{delta_sql("d", "tracker_deployment", 1, DEPLOYMENT_DIMS)}
{delta_sql("h", "tracker_hotspot", 1, HOTSPOT_DIMS)}
"""

REVERSE = """
DROP TRIGGER deployment_map_cells_insert ON tracker_deployment;
DROP TRIGGER deployment_map_cells_update ON tracker_deployment;
DROP TRIGGER deployment_map_cells_delete ON tracker_deployment;
DROP TRIGGER hotspot_map_cells_insert ON tracker_hotspot;
DROP TRIGGER hotspot_map_cells_update ON tracker_hotspot;
DROP TRIGGER hotspot_map_cells_delete ON tracker_hotspot;
DROP TRIGGER deployment_map_cells_truncate ON tracker_deployment;
DROP TRIGGER hotspot_map_cells_truncate ON tracker_hotspot;
DROP FUNCTION tracker_deployment_map_cells_emptied();
DROP FUNCTION tracker_hotspot_map_cells_emptied();
DROP FUNCTION tracker_deployment_map_cells();
DROP FUNCTION tracker_hotspot_map_cells();
DROP TABLE tracker_map_cell;
"""


class Migration(migrations.Migration):
    dependencies = [("tracker", "0008_search_documents")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
