"""One account per e-mail address, in any case, enforced by the database.

The sign-up form checks it too, but two sign-ups at once both pass the form; this index makes
the second one fail, and the sign-up service answers that with the form's error. Empty
addresses (accounts made without one) are left out. Plain SQL that SQLite and PostgreSQL both
run: an expression index with a WHERE clause.
"""

from django.db import migrations

INDEX = "quizzes_auth_user_email_ci_unique"
DUPLICATES = (
    "SELECT LOWER(email) FROM auth_user WHERE email <> '' GROUP BY LOWER(email) HAVING COUNT(*) > 1"
)


def refuse_existing_duplicates(apps, schema_editor):
    """Stop with the addresses to fix rather than a bare IntegrityError."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DUPLICATES)
        duplicates = [row[0] for row in cursor.fetchall()]
    if duplicates:
        raise RuntimeError(
            "Several accounts share these e-mail addresses (ignoring case); give each account its own "
            f"address in /admin/ and migrate again: {', '.join(sorted(duplicates))}"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("quizzes", "0005_response_viewed_at"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(email)) WHERE email <> ''",
            f"DROP INDEX {INDEX}",
        ),
    ]
