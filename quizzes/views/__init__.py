"""Views: thin. Parse the request, call a service or selector, render."""
