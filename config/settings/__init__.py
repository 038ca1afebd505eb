"""Settings, split by where the site runs: base, dev, test, prod."""
