"""Statistics for instructors: selectors that read activity and return numbers, never write.

Every statistic is computed by the database (``COUNT``/``SUM`` with ``GROUP BY``, window
functions such as ``NTILE`` and ``ROW_NUMBER``); Python only combines the aggregated rows
(a handful per question or per student) with the formulas in ``formulas``.

Modules, one job each:

- ``scope``: which students, answers and exam attempts a dashboard looks at (cohort, first or
  all attempts, one exam).
- ``formulas``: the pure arithmetic (variance, correlation, median, Cronbach's alpha).
- ``sql``: two database helpers (seconds between two timestamps; an aggregate over a window).
- ``items``: facility, Moodle's discrimination index, median time and the "needs attention" flags,
  judged with their 95 % intervals (provisional for few answers).
- ``quintiles``: mean score of each fifth of the students ranked by exam total (PrairieLearn).
- ``distractors``: the share of answers on each choice, wrong ones named by misconception.
- ``parameters``: facility of a parameterised question by parameter value.
- ``exam_stats``: score distribution, mean, median, standard deviation, Cronbach's alpha.
- ``overview``: active students, answers per day, topics weakest first, exams and pass rates.
- ``students``: the sortable student table.
- ``exports``: CSV files that open safely in a spreadsheet.
- ``misconceptions``: the named misconceptions a class makes, ranked by students, and where they show.
"""
