"""The content pipeline: read ``content/``, validate it, render it and sync it to the database.

``files`` reads a file safely, ``parse`` turns it into a ``schema`` object with line numbers,
``templating`` fills in a scenario's numbers, ``render`` turns markdown and LaTeX into safe HTML,
``variants`` builds what a student sees for one seed, ``validate`` finds every problem and
``sync`` publishes a valid bank in one transaction.
"""
