"""Volunteers' and moderators' pages (under the language prefix, like the public site)."""

from django.urls import path

from .views import contribute, disputes, queue, rti, sources, verify

app_name = "moderation"

urlpatterns = [
    path("submit/", contribute.submit_start, name="submit"),
    path("submit/<str:entity_type>/", contribute.submission_new, name="submit-new"),
    path(
        "submit/<str:entity_type>/<int:pk>/correct/",
        contribute.submission_correct,
        name="submit-correction",
    ),
    path("submissions/", contribute.my_submissions, name="my-submissions"),
    path("submissions/<int:pk>/", contribute.my_submission, name="my-submission"),
    path("submissions/<int:pk>/edit/", contribute.submission_edit, name="my-submission-edit"),
    path(
        "submissions/<int:pk>/withdraw/",
        contribute.my_submission_withdraw,
        name="my-submission-withdraw",
    ),
    path(
        "submissions/<int:pk>/withdraw/undo/",
        contribute.my_submission_withdraw_undo,
        name="my-submission-withdraw-undo",
    ),
    path("attachments/<int:pk>/", contribute.attachment_download, name="attachment"),
    path("report/<str:entity_type>/<int:pk>/", disputes.dispute_new, name="dispute-new"),
    path("report/<str:entity_type>/<int:pk>/sent/", disputes.dispute_sent, name="dispute-sent"),
    path("moderation/disputes/<int:pk>/", disputes.dispute_review, name="dispute-review"),
    path("verify/", verify.verify_queue, name="verify-queue"),
    path("verify/<int:pk>/", verify.verify_entry, name="verify-entry"),
    path("verify/<int:pk>/take/", verify.verify_take, name="verify-take"),
    path("verify/<int:pk>/release/", verify.verify_release, name="verify-release"),
    path("moderation/", queue.queue, name="queue"),
    path("moderation/submissions/<int:pk>/", queue.review, name="review"),
    path("moderation/entries/", queue.entries, name="entries"),
    path(
        "moderation/entries/<str:entity_type>/<int:pk>/withdraw/",
        queue.entry_withdraw,
        name="entry-withdraw",
    ),
    path(
        "moderation/entries/<str:entity_type>/<int:pk>/restore/",
        queue.entry_restore,
        name="entry-restore",
    ),
    path("rti/<int:pk>/events/new/", rti.rti_event_new, name="rti-event-new"),
    path("moderation/rti/<int:pk>/documents/", rti.rti_documents, name="rti-documents"),
    path("moderation/rti/campaigns/new/", rti.rti_campaign_new, name="rti-campaign-new"),
    path(
        "moderation/rti/<int:pk>/documents/<int:document>/publish/",
        rti.rti_document_publish_view,
        name="rti-document-publish",
    ),
    path(
        "moderation/rti/<int:pk>/documents/<int:document>/unpublish/",
        rti.rti_document_unpublish_view,
        name="rti-document-unpublish",
    ),
    path("moderation/sources/", sources.source_list, name="sources"),
    path(
        "moderation/sources/<int:pk>/reviewed/",
        sources.source_mark_reviewed,
        name="source-reviewed",
    ),
    path("moderation/sources/<int:pk>/check/", sources.source_check_now, name="source-check"),
]
