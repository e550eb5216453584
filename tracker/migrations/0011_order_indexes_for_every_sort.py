"""Indexes for every sort option of the deployment and hotspot lists: a deep page
walks its order's index from the nearer end, and a seek link starts inside it."""


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0010_list_order_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deployment',
            index=models.Index(models.F('title'), models.F('id'), condition=models.Q(('publication', 'published')), name='deployment_pub_title'),
        ),
        migrations.AddIndex(
            model_name='deployment',
            index=models.Index(models.OrderBy(models.F('announced_on'), descending=True), models.F('id'), condition=models.Q(('publication', 'published')), name='deployment_pub_announced_d'),
        ),
        migrations.AddIndex(
            model_name='deployment',
            index=models.Index(models.F('announced_on'), models.F('id'), condition=models.Q(('publication', 'published')), name='deployment_pub_announced_a'),
        ),
        migrations.AddIndex(
            model_name='deployment',
            index=models.Index(models.OrderBy(models.F('camera_count'), descending=True), models.F('id'), condition=models.Q(('publication', 'published')), name='deployment_pub_cameras_d'),
        ),
        migrations.AddIndex(
            model_name='hotspot',
            index=models.Index(models.OrderBy(models.F('camera_count'), descending=True), models.F('id'), condition=models.Q(('publication', 'published')), name='hotspot_pub_cameras_d'),
        ),
        migrations.AddIndex(
            model_name='hotspot',
            index=models.Index(models.OrderBy(models.F('updated_at'), descending=True), models.F('id'), condition=models.Q(('publication', 'published')), name='hotspot_pub_updated_d'),
        ),
    ]
