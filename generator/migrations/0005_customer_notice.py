from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('generator', '0004_subprocessor_list'),
    ]

    operations = [
        migrations.AddField(
            model_name='publishedversion',
            name='dpa_changes',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='publishedversion',
            name='notice_sent_on',
            field=models.DateField(blank=True, null=True),
        ),
    ]
