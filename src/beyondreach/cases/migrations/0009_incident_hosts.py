"""Host countries as rows, several per incident, or a reason why there is none.

An incident can take effect in several host countries (a designation of dissidents living in
the UK, Türkiye and Canada) or in none (a plane forced down in transit; relatives threatened
at home). The single `host_country` column becomes rows of `IncidentHost`, filled from it in
one statement, with the incident's start date as on origins and tactics (0006) so that one
index serves a host filter and the list's order. Going back keeps the first host country.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = (
    "INSERT INTO cases_incidenthost (organisation_id, incident_id, country, start_date) "
    "SELECT organisation_id, id, host_country, start_date FROM cases_incident "
    "WHERE host_country <> ''"
)
# Back: the first host country, or '' for an incident with none (the old column's blank).
UNFILL = (
    "UPDATE cases_incident SET host_country = COALESCE((SELECT MIN(h.country) "
    "FROM cases_incidenthost h WHERE h.incident_id = cases_incident.id), '')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_incident_ongoing_season"),
        ("core", "0003_tasks_after_rename"),
    ]

    operations = [
        migrations.CreateModel(
            name="IncidentHost",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("country", models.CharField(max_length=2)),
                ("start_date", models.DateField()),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hosts",
                        to="cases.incident",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.organisation",
                    ),
                ),
            ],
        ),
        migrations.RunSQL(FILL, UNFILL),
        migrations.AddConstraint(
            model_name="incidenthost",
            constraint=models.UniqueConstraint(fields=("incident", "country"), name="host_once"),
        ),
        migrations.AddIndex(
            model_name="incidenthost",
            index=models.Index(
                fields=["organisation", "country", "-start_date", "-incident"],
                name="host_org_country_date",
            ),
        ),
        migrations.RemoveIndex(model_name="incident", name="incident_org_host"),
        # A default first, so that going back can add the column to a table with rows.
        migrations.AlterField(
            model_name="incident",
            name="host_country",
            field=models.CharField(max_length=2, default="", blank=True),
        ),
        migrations.RemoveField(model_name="incident", name="host_country"),
        migrations.AddField(
            model_name="incident",
            name="host_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("unknown", "Not known"),
                    ("in_transit", "In transit (airspace, at sea, a border)"),
                    ("online_only", "Online only"),
                    ("origin_only", "Origin state only (relatives at home)"),
                ],
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="host_origin_confirmed",
            field=models.BooleanField(default=False),
        ),
    ]
