from django.contrib import admin

from .models import Attachment, Submission


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "volunteer", "status", "submitted_at", "reviewer"]
    list_filter = ["status", "kind", "entity_type"]
    search_fields = ["entry_name", "why", "reviewer_note"]
    raw_id_fields = ["volunteer", "reviewer"]
    inlines = [AttachmentInline]
