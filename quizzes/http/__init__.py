"""HTTP plumbing that is not a page: response compression and the cheap health check."""
