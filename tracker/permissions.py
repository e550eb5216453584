"""The permissions tracker's own pages and jobs ask for.

Each is defined with its model (``Meta.permissions``, or Django's default
``view_<model>``). Roles grant them (``accounts/roles.py``: ``ROLE_GRANTS``).
Every check is ``user.has_perm(...)``, never a group's name or ``is_staff``, so
a role decides alone and one person gets the same answer on every page.
"""

# Moderators: sources that changed or broke, marked reviewed, checked again now.
SOURCE_REVIEW = "tracker.review_source"
# Archived copies of any source, cited by a published entry or not (Django's default).
ARCHIVE_READ = "tracker.view_sourceversion"
# Reminders of every RTI request's appeal deadlines (the filer gets their own).
RTI_REMINDERS = "tracker.follow_rtirequest"
# Record an RTI event at once, without review (a volunteer's event is a submission).
RTI_EVENT_RECORD = "tracker.add_rtievent"
# Publish, redact and unpublish an RTI request's documents, and read unpublished ones.
RTI_DOCUMENT_PUBLISH = "tracker.publish_rtidocument"
# Send one application to many authorities at once (a campaign's requests are published).
RTI_CAMPAIGN_CREATE = "tracker.add_rticampaign"
