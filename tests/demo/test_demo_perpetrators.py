"""After `beyondreach demo`, the perpetrators' flow of README.md can be tried: the demo's
fictional official is found by either name, has two incidents, and its dossier leaves out
the one whose target did not agree to sharing with authorities."""

from __future__ import annotations

from beyondreach.accountability.perpetrator_models import Perpetrator

from .test_demo_flows import EXTRADITION, client, demo_output

__all__ = ["demo_output"]


def test_the_demo_official_is_found_in_either_script_and_its_dossier_opens(
    demo_output: str,
) -> None:
    worker = client("demo_caseworker")
    listing = worker.get("/perpetrators/", {"q": "Давлатзода"}).content.decode()
    assert "Rustam Davlatzoda" in listing
    assert "Rustam Davlatzoda" in worker.get("/perpetrators/", {"q": "Davlatzoda"}).content.decode()
    [official] = Perpetrator.objects.all()
    page = worker.get(f"/perpetrators/{official.uuid}/").content.decode()
    assert EXTRADITION in page and "Relatives of an unnamed exile threatened at home" in page
    dossier = worker.get(f"/perpetrators/{official.uuid}/dossier/print/").content.decode()
    assert EXTRADITION in dossier and "1 incident left out" in dossier
    assert "threatened at home" not in dossier
    analyst = client("demo_analyst").get(f"/perpetrators/{official.uuid}/").content.decode()
    assert "Davlatzoda" not in analyst and "Official" in analyst
