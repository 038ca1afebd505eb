"""Question banks in and out: Moodle XML, GIFT and QTI 3.0.

``model`` is the neutral in-memory form every format reads and writes; ``build`` turns the
content bank into it (a parameterised question becomes N fixed variants), ``markup`` moves text
between the bank's markdown and the HTML with TeX math the targets render, one module per
format (``moodle_xml``, ``gift``, ``qti3``) reads and/or writes it, and ``importer`` turns
imported items into ``content/questions/<topic>/<id>.md`` files, all or nothing.
"""
