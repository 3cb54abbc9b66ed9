"""The workshop series: rules per community, changes to the series, reminders and their texts."""
