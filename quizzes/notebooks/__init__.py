"""Any lab run as a Jupyter notebook that rebuilds it in plain NumPy (with ``cnncore``).

``recipes`` holds, per scenario, the cells that recompute a run phase by phase; ``notebook``
wraps them with the run's parameters and seed and a last cell that prints the results as
JSON with the same keys as the lab API's ``results``.
"""
