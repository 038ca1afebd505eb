"""The lab: live, editable worked examples from ``cnncore.scenarios``, as pages and as JSON.

Runs come from ``quizzes.scenario_runs``, the one module that runs scenarios (question variants
use it too).

One small module per job:

* ``query``: the URL query -> typed parameters and seed, or errors naming the parameter.
* ``form``: the parameter form, built from a scenario's ``Param`` schema.
* ``topics``: human titles of the topic slugs (the synced ``Topic`` rows).
* ``numbers``: numbers as short and exact text.
* ``colours``: the diverging colour scale (centred at 0) shared by heatmaps and tables.
* ``panels``: an array of any shape cut into 2-D panels (per (n, c) slice), bounded in count.
* ``tables``, ``heatmap``, ``charts``: HTML tables, SVG heatmaps and SVG line charts.
* ``arrays``: one array of a step as a table, a heatmap or a reference to where it was shown.
* ``arithmetic``: the window x kernel arithmetic of one convolution output element.
* ``present``: a whole ``Trace`` as template-ready structures.
* ``page``: the context of each lab page (index by topic, a scenario's run, one array's values).
"""
