"""How a dataset release is cited: CITATION.cff (Citation File Format 1.2.0) and DataCite 4
metadata XML, both from one description of the release.

The DataCite record is what an operator deposits to mint a DOI; its identifier is
left empty, with a comment, because the DOI only exists once the release is
deposited. CITATION.cff is written by hand (every value a double-quoted YAML
scalar, which JSON string syntax is), so no YAML library is needed at run time;
``cffconvert --validate`` checks it in the tests.
"""

import json
from dataclasses import dataclass
from datetime import date

from lxml import etree

from .datasets import DATA_LICENSE

DATACITE = "http://datacite.org/schema/kernel-4"
DATACITE_SCHEMA = "http://schema.datacite.org/meta/kernel-4/metadata.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
KEYWORDS = (
    "facial recognition",
    "surveillance",
    "CCTV",
    "India",
    "public procurement",
    "Right to Information",
)


@dataclass(frozen=True)
class ReleaseDescription:
    """What both files say about one release."""

    title: str  # e.g. "Panoptic Tracker dataset"
    publisher: str  # the group running the site: the creator and publisher
    version: str  # the release name, e.g. "2026.12.0"
    released_on: date
    url: str  # where the releases are listed
    abstract: str
    formats: tuple = ("text/csv", "application/geo+json", "application/json")
    previous_url: str = ""  # the previous release's download, if any


def _yaml(value) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(str(value), ensure_ascii=False)


def citation_cff(release: ReleaseDescription) -> str:
    lines = [
        "cff-version: 1.2.0",
        f"message: {_yaml('If you use this dataset, please cite it as below.')}",
        "type: dataset",
        f"title: {_yaml(release.title)}",
        f"version: {_yaml(release.version)}",
        f"date-released: {_yaml(release.released_on.isoformat())}",
        "authors:",
        f"  - name: {_yaml(release.publisher)}",
        f"license: {_yaml(DATA_LICENSE['name'])}",
        f"url: {_yaml(release.url)}",
        f"abstract: {_yaml(release.abstract)}",
        "keywords:",
        *(f"  - {_yaml(keyword)}" for keyword in KEYWORDS),
    ]
    return "\n".join(lines) + "\n"


def _element(parent, tag, text=None, **attributes):
    node = etree.SubElement(parent, f"{{{DATACITE}}}{tag}")
    for name, value in attributes.items():
        node.set(XML_LANG if name == "lang" else name, value)
    if text is not None:
        node.text = text
    return node


def datacite_xml(release: ReleaseDescription) -> bytes:
    """DataCite Metadata Schema 4 XML: every mandatory property, the version and the rights."""
    root = etree.Element(f"{{{DATACITE}}}resource", nsmap={None: DATACITE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{DATACITE} {DATACITE_SCHEMA}")
    root.append(etree.Comment(" Fill in the DOI once this release is deposited with DataCite. "))
    _element(root, "identifier", "", identifierType="DOI")
    creator = _element(_element(root, "creators"), "creator")
    _element(creator, "creatorName", release.publisher, nameType="Organizational")
    _element(_element(root, "titles"), "title", f"{release.title} {release.version}", lang="en")
    _element(root, "publisher", release.publisher, lang="en")
    _element(root, "publicationYear", str(release.released_on.year))
    _element(root, "resourceType", "Dataset", resourceTypeGeneral="Dataset")
    subjects = _element(root, "subjects")
    for keyword in KEYWORDS:
        _element(subjects, "subject", keyword, lang="en")
    dates = _element(root, "dates")
    _element(dates, "date", release.released_on.isoformat(), dateType="Issued")
    _element(root, "language", "en")
    related = _element(root, "relatedIdentifiers")
    _element(
        related,
        "relatedIdentifier",
        release.url,
        relatedIdentifierType="URL",
        relationType="IsPartOf",
    )
    if release.previous_url:
        _element(
            related,
            "relatedIdentifier",
            release.previous_url,
            relatedIdentifierType="URL",
            relationType="IsNewVersionOf",
        )
    formats = _element(root, "formats")
    for media_type in release.formats:
        _element(formats, "format", media_type)
    _element(root, "version", release.version)
    rights = _element(_element(root, "rightsList"), "rights", DATA_LICENSE["title"], lang="en")
    rights.set("rightsURI", DATA_LICENSE["path"])
    rights.set("rightsIdentifier", DATA_LICENSE["name"])
    rights.set("rightsIdentifierScheme", "SPDX")
    rights.set("schemeURI", "https://spdx.org/licenses/")
    descriptions = _element(root, "descriptions")
    _element(descriptions, "description", release.abstract, lang="en", descriptionType="Abstract")
    place = _element(_element(root, "geoLocations"), "geoLocation")
    _element(place, "geoLocationPlace", "India")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
