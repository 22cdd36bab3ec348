from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0006_decision_batch_parts'),
    ]

    operations = [
        migrations.AddField(
            model_name='decisionbatch',
            name='reported_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='laatste voortgang'),
        ),
    ]
