"""Selectors: functions that read state for views."""
