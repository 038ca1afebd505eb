"""Services: functions that change state. Views call these; they never hold business logic."""
