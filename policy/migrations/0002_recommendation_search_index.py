"""A GIN index for the registry's full-text search on PostgreSQL (policy.services.search): the
same expression as Django's SearchVector("text", "rationale", config="simple"), so the planner
uses it. Other databases search word by word and get no index."""

from django.db import migrations

INDEX = "policy_recommendation_search"
EXPRESSION = "to_tsvector('simple'::regconfig, COALESCE(\"text\", '') || ' ' || COALESCE(\"rationale\", ''))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON minutes_recommendation USING gin ({EXPRESSION})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial"), ("minutes", "0002_zoomtranscript")]

    operations = [migrations.RunPython(create, drop)]
