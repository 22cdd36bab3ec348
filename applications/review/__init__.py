"""The kerngroep's review of a submitted version: assessment table, queue and views."""
