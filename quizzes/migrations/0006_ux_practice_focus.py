from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0005_response_viewed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="practicesession",
            name="focus_question_ids",
            field=models.JSONField(blank=True, default=list, help_text="Only these questions (e.g. the student's recent mistakes); empty means the filter decides. Answers here do not reschedule spaced review."),
        ),
    ]
