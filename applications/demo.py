"""Demo data of the applications app; called by `manage.py load_demo_data`."""


def load(stdout=None):
    return None
