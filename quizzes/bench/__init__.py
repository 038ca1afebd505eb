"""Tools the HTTP benchmarks and the load test share: app servers on 127.0.0.1 and a load generator."""
