"""The public site's URLs (served under the language prefix: / in English, /hi/ in Hindi)."""

from django.urls import path

from .middleware import public_page
from .views import (
    archive,
    basemap,
    campaigns,
    changes,
    details,
    embeds,
    feeds,
    home,
    letters,
    lists,
    map,
    pages,
    rti,
    search,
    sitemaps,
    states,
    stats,
)

app_name = "tracker"

urlpatterns = [
    path("", home.home, name="home"),
    path("map/deployments.geojson", map.deployments_layer, name="map-deployments"),
    path("map/hotspots.geojson", map.hotspots_layer, name="map-hotspots"),
    path("map/osm-cameras.geojson", map.osm_cameras_layer, name="map-osm-cameras"),
    path("map/panel/", home.map_panel, name="map-panel"),
    path("map/states.geojson", basemap.state_outlines_layer, name="map-states"),
    path("map/places.json", basemap.place_labels_layer, name="map-places"),
    path("places/search.json", basemap.place_search, name="place-search"),
    path("deployments/", lists.deployment_list, name="deployment-list"),
    path("deployments/<int:pk>-<slug:slug>/", details.deployment_detail, name="deployment-detail"),
    path("deployments/<int:pk>/", details.deployment_detail, name="deployment-detail-id"),
    path("agencies/", lists.agency_list, name="agency-list"),
    path("agencies/<int:pk>-<slug:slug>/", details.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/", details.agency_detail, name="agency-detail-id"),
    path("hotspots/", lists.hotspot_list, name="hotspot-list"),
    path("hotspots/<int:pk>-<slug:slug>/", details.hotspot_detail, name="hotspot-detail"),
    path("hotspots/<int:pk>/", details.hotspot_detail, name="hotspot-detail-id"),
    path("rti/", rti.rti_list, name="rti-list"),
    path("rti/overdue/", rti.rti_overdue, name="rti-overdue"),
    path("rti/calculator/", rti.rti_calculator, name="rti-calculator"),
    path("rti/letters/", letters.rti_letters, name="rti-letter"),
    path("rti/<int:pk>/letters/", letters.rti_request_letters, name="rti-letters"),
    path("rti/campaigns/<int:pk>-<slug:slug>/", campaigns.campaign_detail, name="rti-campaign"),
    path("rti/campaigns/<int:pk>/", campaigns.campaign_detail, name="rti-campaign-id"),
    path(
        "rti/campaigns/<int:pk>/letters/", campaigns.campaign_letters, name="rti-campaign-letters"
    ),
    path(
        "rti/campaigns/<int:pk>/letters/<str:token>/",
        campaigns.campaign_zip,
        name="rti-campaign-zip",
    ),
    path("rti/<int:pk>-<slug:slug>/", rti.rti_detail, name="rti-detail"),
    path("rti/<int:pk>/", rti.rti_detail, name="rti-detail-id"),
    path("rti/<int:pk>/documents/<int:document>/", rti.rti_document, name="rti-document"),
    path("search/", search.search_results, name="search"),
    path("states/", states.state_index, name="state-list"),
    path("states/<str:code>/", states.state_detail, name="state-detail"),
    path("stats/", stats.stats, name="stats"),
    path("changes/", changes.changes, name="changes"),
    path("feeds/deployments/", feeds.DeploymentFeed(), name="feed-deployments"),
    path("feeds/states/<str:code>/", feeds.StateDeploymentFeed(), name="feed-state"),
    path("feeds/rti/", feeds.RTIFeed(), name="rti-feed"),
    path("feeds/rti/overdue/", feeds.OverdueRTIFeed(), name="rti-feed-overdue"),
    path("data/", pages.data, name="data"),
    path("data/releases/", pages.data_releases, name="data-releases"),
    path("data/releases/<str:name>.zip", pages.data_release_zip, name="data-release-zip"),
    path(
        "data/releases/<str:name>/changes.json",
        pages.data_release_changes,
        name="data-release-changes",
    ),
    path("about/", pages.about, name="about"),
    path(
        "sources/<int:source_pk>/archive/<int:pk>/",
        public_page(archive.archived_copy),
        name="archived-copy",
    ),
    # The only pages other sites may frame (tracker/views/embeds.py), and oEmbed.
    path("embed/map/", embeds.embed_map, name="embed-map"),
    path("embed/deployments/<int:pk>/", embeds.embed_deployment, name="embed-deployment"),
    path("oembed/", embeds.oembed, name="oembed"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemaps/<str:name>.xml", sitemaps.sitemap_file, name="sitemap-file"),
]
