from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0008_decision_letter_job'),
    ]

    operations = [
        migrations.AddField(
            model_name='decisionbatch',
            name='reported_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='laatste voortgang'),
        ),
    ]
