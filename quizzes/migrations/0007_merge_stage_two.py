"""Join the stage's migrations, each made on its own branch from 0005."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0006_lti_integration"),
        ("quizzes", "0006_numeric_numeric_answers"),
        ("quizzes", "0006_regrade_rules"),
        ("quizzes", "0006_serving_unique_email"),
        ("quizzes", "0006_stats_visits_reports"),
        ("quizzes", "0006_ux_practice_focus"),
    ]

    operations = []
