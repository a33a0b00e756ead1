"""The incident's start date on its origin and tactic rows, for the filtered list.

The list filters on an origin state and a tactic and shows the newest incidents first. With
the date on the child rows, one index on (organisation, code, start date, incident) gives
the matching incidents already in the list's order, so a page reads about 50 index entries
instead of every match (bench/README.md). The columns are added empty, filled from the
incidents in one statement each, then made required; the old (organisation, code, incident)
indexes are replaced, since the unique (incident, code) constraints serve the lookups by
incident.
"""

from django.db import migrations, models

FILL = (
    "UPDATE {table} SET start_date = (SELECT i.start_date FROM cases_incident i "
    "WHERE i.id = {table}.incident_id) WHERE start_date IS NULL"
)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_incident_list_covering_index")]

    operations = [
        migrations.AddField("incidentorigin", "start_date", models.DateField(null=True)),
        migrations.AddField("incidenttactic", "start_date", models.DateField(null=True)),
        migrations.RunSQL(FILL.format(table="cases_incidentorigin"), migrations.RunSQL.noop),
        migrations.RunSQL(FILL.format(table="cases_incidenttactic"), migrations.RunSQL.noop),
        migrations.AlterField("incidentorigin", "start_date", models.DateField()),
        migrations.AlterField("incidenttactic", "start_date", models.DateField()),
        migrations.RemoveIndex("incidentorigin", "origin_org_country"),
        migrations.RemoveIndex("incidenttactic", "tactic_org_code"),
        migrations.AddIndex(
            "incidentorigin",
            models.Index(
                fields=["organisation", "country", "-start_date", "-incident"],
                name="origin_org_country_date",
            ),
        ),
        migrations.AddIndex(
            "incidenttactic",
            models.Index(
                fields=["organisation", "tactic", "-start_date", "-incident"],
                name="tactic_org_code_date",
            ),
        ),
    ]
