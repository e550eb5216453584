"""RTI: the stored status becomes the status the events give; due dates and the dates
things happened are stored, what depends on today is computed at read time; event
details; documents with published and redacted copies; the calendar in use."""

import django.db.models.deletion
import django.db.models.manager
import tracker.models.rti
from django.conf import settings
from django.db import migrations, models


def event_attachments_to_documents(apps, schema_editor):
    """Each event's single attachment becomes one of its documents (private, as before)."""
    RTIEvent = apps.get_model("tracker", "RTIEvent")
    RTIDocument = apps.get_model("tracker", "RTIDocument")
    types = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
    for event in RTIEvent._base_manager.exclude(attachment=""):
        name = event.attachment.name
        try:
            size = event.attachment.size
        except OSError:
            size = 0
        RTIDocument.objects.create(
            rti_request_id=event.rti_request_id,
            event=event,
            file=name,
            original_name=name.rsplit("/", 1)[-1][:200],
            content_type=types.get("." + name.rsplit(".", 1)[-1].lower(), "application/octet-stream"),
            size=size,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0017_deployment_state_order_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RTICalendarState',
            fields=[
                ('key', models.CharField(default='site', max_length=20, primary_key=True, serialize=False)),
                ('fingerprint', models.CharField(max_length=64)),
                ('applied_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'RTI holiday calendar in use',
            },
        ),
        migrations.AlterModelOptions(
            name='rtievent',
            options={'base_manager_name': 'every', 'default_manager_name': 'objects', 'ordering': ['date', 'id'], 'verbose_name': 'RTI event'},
        ),
        migrations.AlterModelManagers(
            name='rtievent',
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('every', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RenameField(
            model_name='historicalrtirequest', old_name='status', new_name='recorded_status'
        ),
        migrations.RenameField(
            model_name='rtirequest', old_name='status', new_name='recorded_status'
        ),
        migrations.AlterField(
            model_name='historicalrtirequest',
            name='recorded_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('filed', 'Filed'), ('transferred', 'Transferred'), ('third_party_notice', 'Third-party notice'), ('fee_requested', 'Fee requested'), ('fee_paid', 'Fee paid'), ('reply_received', 'Reply received'), ('granted', 'Granted'), ('partially_granted', 'Partially granted'), ('refused', 'Refused'), ('deemed_refused', 'Deemed refused'), ('first_appeal_filed', 'First appeal filed'), ('first_appeal_decided', 'First appeal decided'), ('second_appeal_filed', 'Second appeal filed'), ('hearing_scheduled', 'Hearing scheduled'), ('commission_decided', 'Commission decided'), ('complaint_filed', 'Complaint filed'), ('withdrawn', 'Withdrawn'), ('closed', 'Closed')], default='filed', editable=False, max_length=22, verbose_name='status from the events'),
        ),
        migrations.AlterField(
            model_name='rtirequest',
            name='recorded_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('filed', 'Filed'), ('transferred', 'Transferred'), ('third_party_notice', 'Third-party notice'), ('fee_requested', 'Fee requested'), ('fee_paid', 'Fee paid'), ('reply_received', 'Reply received'), ('granted', 'Granted'), ('partially_granted', 'Partially granted'), ('refused', 'Refused'), ('deemed_refused', 'Deemed refused'), ('first_appeal_filed', 'First appeal filed'), ('first_appeal_decided', 'First appeal decided'), ('second_appeal_filed', 'Second appeal filed'), ('hearing_scheduled', 'Hearing scheduled'), ('commission_decided', 'Commission decided'), ('complaint_filed', 'Complaint filed'), ('withdrawn', 'Withdrawn'), ('closed', 'Closed')], default='filed', editable=False, max_length=22, verbose_name='status from the events'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='closed_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='withdrawn or closed on'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='deemed_refused_from',
            field=models.DateTimeField(blank=True, db_index=True, editable=False, null=True, verbose_name='deemed refused from'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='first_appeal_decided_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal decided on'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='first_appeal_decision_due_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal decision due on'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='first_appeal_decision_latest_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal decision due at the latest on'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='first_appeal_due_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal due by'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='first_appeal_filed_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal filed on'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='second_appeal_due_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='second appeal due by'),
        ),
        migrations.AddField(
            model_name='historicalrtirequest',
            name='second_appeal_filed_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='second appeal filed on'),
        ),
        migrations.AddField(
            model_name='rtievent',
            name='amount',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='For a fee asked for or paid.', max_digits=10, null=True, verbose_name='amount (₹)'),
        ),
        migrations.AddField(
            model_name='rtievent',
            name='exemption_sections',
            field=models.CharField(blank=True, help_text='For a reply that refuses some information, e.g. 8(1)(g), 8(1)(j).', max_length=200, verbose_name='exemption sections cited'),
        ),
        migrations.AddField(
            model_name='rtievent',
            name='outcome',
            field=models.CharField(blank=True, choices=[('granted', 'Granted'), ('partially_granted', 'Partially granted'), ('refused', 'Refused (exemptions cited)'), ('not_held', 'Information not held'), ('no_response', 'No response'), ('withdrawn', 'Withdrawn')], help_text='For a reply: what the PIO decided.', max_length=20, verbose_name='outcome'),
        ),
        migrations.AddField(
            model_name='rtievent',
            name='proposed',
            field=models.BooleanField(default=False, help_text="Waiting for a moderator's review.", verbose_name='proposed'),
        ),
        migrations.AddField(
            model_name='rtievent',
            name='recorded_by',
            field=models.ForeignKey(blank=True, help_text='Never shown publicly.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='closed_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='withdrawn or closed on'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='deemed_refused_from',
            field=models.DateTimeField(blank=True, db_index=True, editable=False, null=True, verbose_name='deemed refused from'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='first_appeal_decided_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal decided on'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='first_appeal_decision_due_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal decision due on'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='first_appeal_decision_latest_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal decision due at the latest on'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='first_appeal_due_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal due by'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='first_appeal_filed_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='first appeal filed on'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='second_appeal_due_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='second appeal due by'),
        ),
        migrations.AddField(
            model_name='rtirequest',
            name='second_appeal_filed_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='second appeal filed on'),
        ),
        migrations.CreateModel(
            name='RTIDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=200, upload_to=tracker.models.rti.rti_document_path, verbose_name='original')),
                ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                ('content_type', models.CharField(max_length=50, verbose_name='type')),
                ('size', models.PositiveIntegerField(default=0, verbose_name='size')),
                ('redacted_file', models.FileField(blank=True, max_length=200, upload_to=tracker.models.rti.rti_document_path, verbose_name='redacted copy')),
                ('redacted_content_type', models.CharField(blank=True, max_length=50)),
                ('published_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='published at')),
                ('text', models.TextField(blank=True, help_text="From the published copy's text layer.", verbose_name='extracted text')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='documents', to='tracker.rtievent')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
                ('rti_request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='tracker.rtirequest')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'permissions': [('publish_rtidocument', 'Can publish, redact and unpublish RTI documents')],
                'verbose_name': 'RTI document',
                'verbose_name_plural': 'RTI documents',
                'ordering': ['id'],
            },
        ),
        migrations.RunPython(event_attachments_to_documents, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='rtievent',
            name='attachment',
        ),
    ]
