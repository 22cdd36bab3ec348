"""Celery application. Without REDIS_URL the settings make every task run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")

app = Celery("spukportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
