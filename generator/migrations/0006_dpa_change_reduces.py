from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('generator', '0005_customer_notice'),
    ]

    operations = [
        migrations.AddField(
            model_name='publishedversion',
            name='dpa_change_reduces',
            field=models.BooleanField(default=False),
        ),
    ]
