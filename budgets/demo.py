"""Demo data of the budgets app (e.g. an allocation run); called by `manage.py load_demo_data`."""


def load(stdout=None):
    return None
