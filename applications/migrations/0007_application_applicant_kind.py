"""Who applies is stored on the application (from the regulation's definition), and the check that the
applicant fits keys on that kind instead of on a list of regulations. Existing region applications get
the kind 'regio'."""

from django.conf import settings
from django.db import migrations, models


def kind_from_applicant(apps, schema_editor):
    apps.get_model("applications", "Application").objects.filter(region__isnull=False).update(applicant_kind="regio")


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0006_decision_batch_parts'),
        ('regions', '0002_iza_applicant'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='application',
            name='applicant_fits_regulation',
        ),
        migrations.AddField(
            model_name='application',
            name='applicant_kind',
            field=models.CharField(choices=[('gemeente', 'Gemeente'), ('regio', 'IZA-regio')], default='gemeente', max_length=10, verbose_name='soort aanvrager'),
        ),
        migrations.RunPython(kind_from_applicant, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('applicant_kind', 'gemeente'), ('municipality__isnull', False), ('region__isnull', True)), models.Q(('applicant_kind', 'regio'), ('region__isnull', False), ('municipality__isnull', True)), _connector='OR'), name='applicant_fits_kind'),
        ),
    ]
