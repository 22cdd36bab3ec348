"""The ministry's decision (beschikking): the decide effect, letters, batches and views."""
