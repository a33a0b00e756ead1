"""The hand-written incidents the demo's flows start from (demo/flows.py).

Each is made for one flow and named in README.md ("Demo logins and flows"): the extradition
case is shared in full and referred with a sealed packet, the surveillance case is shared
pseudonymised and referred by secure link, and so on. Dates are counted from the day of the
load, so hearings stay days away whenever the demo is loaded. Every narrative starts with
"Fictional demo record." and every person's risk notes with "Fictional demo person."
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from beyondreach.cases.inputs import (
    ActorData,
    GroupData,
    IncidentData,
    MechanismData,
    NameData,
    OrganisationData,
    PersonData,
    SourceData,
    TargetData,
)
from beyondreach.demo.plans import FICTIONAL

PERSON_NOTE = "Fictional demo person."


@dataclass(frozen=True)
class FlowIncident:
    key: str  # how demo/flows.py names it
    partner: bool  # recorded by the partner organisation, else by the main one
    data: IncidentData


def _person(
    names: list[tuple[str, str]],
    *,
    nationality: str,
    residence: str,
    partners: bool = False,
    authorities: bool = False,
    statuses: tuple[str, ...] = (),
) -> PersonData:
    return PersonData(
        names=[NameData(value, script) for value, script in names],
        nationalities=[nationality],
        residence_country=residence,
        residence_status="refugee" if residence != nationality else "citizen",
        statuses=list(statuses),
        risk_notes=PERSON_NOTE,
        consent_share_partners=partners,
        consent_share_authorities=authorities,
        consent_public_statistics=partners,
    )


def _source(reference: str, publisher: str, on: date, reliability: str) -> SourceData:
    return SourceData(
        reference=reference,
        publisher=publisher,
        published_on=on,
        reliability=reliability,
        independent=True,
    )


def _extradition(today: date) -> IncidentData:
    started = today - timedelta(days=26)
    return IncidentData(
        title="Extradition hearing for a Tajik opposition blogger in Istanbul",
        narrative=f"{FICTIONAL} Detained at his flat on a request from Dushanbe; the court "
        "hears the extradition request within days. He agreed to sharing and referral.",
        start_date=started,
        host_countries=["TR"],
        origin_states=["TJ"],
        tactics=["extradition_request", "host_detention", "interpol_abuse"],
        place="Istanbul",
        targets=[
            TargetData(
                role="primary",
                target_group="opposition",
                person=_person(
                    [("Farrukh Nazarov", "Latn"), ("Фаррух Назаров", "Cyrl")],
                    nationality="TJ",
                    residence="TR",
                    partners=True,
                    authorities=True,
                    statuses=("opposition_member", "journalist"),
                ),
            )
        ],
        actors=[
            ActorData(role="perpetrator", actor_type="court", country="TJ"),
            ActorData(role="host_authority", actor_type="police", country="TR"),
        ],
        mechanisms=[
            MechanismData(
                kind="extradition_request",
                reference="Demo-EXT-0042",
                issued_by="TJ",
                issued_on=started,
                status="active",
                status_on=started,
            )
        ],
        sources=[
            _source("https://news.example.org/demo/nazarov", "Example News", started, "reliable"),
            _source("Lawyer's note of the first hearing", "", started, "usually_reliable"),
        ],
        tlp="amber",
        status="open",
    )


def _surveillance(today: date) -> IncidentData:
    started = today - timedelta(days=40)
    return IncidentData(
        title="Uyghur student followed outside her dormitory in Amsterdam",
        narrative=f"{FICTIONAL} Two men photographed her at the dormitory for a week; police "
        "in Kashgar questioned her mother the same week. She has not agreed to sharing "
        "names with anyone.",
        start_date=started,
        start_precision="month",
        host_countries=["NL"],
        origin_states=["CN"],
        tactics=["physical_intimidation", "family_coercion"],
        place="Amsterdam",
        targets=[
            TargetData(
                role="primary",
                target_group="ethnic_or_religious_group",
                person=_person(
                    [("Mihray Tursun", "Latn"), ("مىھراي تۇرسۇن", "Arab")],
                    nationality="CN",
                    residence="NL",
                    statuses=("targeted_group_member",),
                ),
            ),
            TargetData(
                role="relative",
                relation="parent",
                target_group="family_member",
                person=_person([("Aygul Tursun", "Latn")], nationality="CN", residence="CN"),
            ),
        ],
        actors=[ActorData(role="perpetrator", actor_type="security_service", country="CN")],
        sources=[SourceData(reference="Her testimony to our case worker", kind="testimony")],
        tlp="amber",
        status="triage",
    )


def _phishing(today: date) -> IncidentData:
    started = today - timedelta(days=75)
    return IncidentData(
        title="Phishing messages to Belarusian journalists in Vilnius",
        narrative=f"{FICTIONAL} Fake press-accreditation e-mails led two reporters to a "
        "login page; one account was taken over.",
        start_date=started,
        host_countries=["LT"],
        origin_states=["BY"],
        tactics=["phishing", "hacking"],
        place="Vilnius",
        targets=[
            TargetData(
                role="primary",
                target_group="journalist",
                person=_person(
                    [("Volha Krautsova", "Latn"), ("Вольга Краўцова", "Cyrl")],
                    nationality="BY",
                    residence="LT",
                    partners=True,
                    statuses=("journalist",),
                ),
            ),
            TargetData(
                role="associate",
                target_group="journalist",
                person=_person(
                    [("Siarhei Maroz", "Latn")],
                    nationality="BY",
                    residence="LT",
                    partners=True,
                    statuses=("journalist",),
                ),
            ),
        ],
        actors=[ActorData(role="perpetrator", actor_type="security_service", country="BY")],
        sources=[
            _source(
                "https://security.example.net/demo/by-phish", "Example Lab", started, "reliable"
            ),
        ],
        tlp="green",
        status="referred",
    )


def _red_notice(today: date) -> IncidentData:
    started = today - timedelta(days=120)
    return IncidentData(
        title="Red Notice against a Turkish journalist in Cologne",
        narrative=f"{FICTIONAL} Stopped at the border on a Red Notice for 'terrorist "
        "propaganda'; released, the notice still stands. He agreed to sharing and referral.",
        start_date=started,
        host_countries=["DE"],
        origin_states=["TR"],
        tactics=["interpol_abuse", "terrorist_designation"],
        place="Cologne",
        targets=[
            TargetData(
                role="primary",
                target_group="journalist",
                person=_person(
                    [("Emre Kaplanoğlu", "Latn")],
                    nationality="TR",
                    residence="DE",
                    partners=True,
                    authorities=True,
                    statuses=("journalist",),
                ),
            )
        ],
        mechanisms=[
            MechanismData(
                kind="interpol_red_notice",
                reference="Demo-RN-2025/77",
                issued_by="TR",
                issued_on=started - timedelta(days=200),
                status="challenged",
            )
        ],
        sources=[
            _source("https://news.example.org/demo/kaplanoglu", "Example News", started, "reliable")
        ],
        tlp="amber",
        status="open",
    )


def _rendition(today: date) -> IncidentData:
    started = today - timedelta(days=9)
    return IncidentData(
        title="Abduction attempt against an Uzbek imam in Almaty",
        narrative=f"{FICTIONAL} Men in plain clothes tried to push him into a car; "
        "neighbours intervened. Marked TLP:RED: named people only.",
        start_date=started,
        host_countries=["KZ"],
        origin_states=["UZ"],
        tactics=["rendition", "physical_intimidation"],
        place="Almaty",
        targets=[
            TargetData(
                role="primary",
                target_group="cleric_or_alleged_extremist",
                person=_person(
                    [("Ravshan Tillaev", "Latn"), ("Равшан Тиллаев", "Cyrl")],
                    nationality="UZ",
                    residence="KZ",
                ),
            )
        ],
        sources=[SourceData(reference="Call with a neighbour", kind="testimony")],
        tlp="red",
        status="open",
    )


def _family(today: date) -> IncidentData:
    started = today - timedelta(days=33)
    return IncidentData(
        title="Egyptian journalist's brother questioned in Cairo",
        narrative=f"{FICTIONAL} After her reporting from Paris, state security summoned her "
        "brother twice and asked for her address.",
        start_date=started,
        host_countries=["FR"],
        origin_states=["EG"],
        tactics=["family_coercion", "digital_threats"],
        place="Paris",
        targets=[
            TargetData(
                role="primary",
                target_group="journalist",
                person=_person(
                    [("Nour Fathy", "Latn"), ("نور فتحي", "Arab")],
                    nationality="EG",
                    residence="FR",
                    partners=True,
                    statuses=("journalist",),
                ),
            ),
            TargetData(
                role="relative",
                relation="sibling",
                target_group="family_member",
                person=_person(
                    [("Karim Fathy", "Latn")], nationality="EG", residence="EG", partners=True
                ),
            ),
        ],
        actors=[ActorData(role="perpetrator", actor_type="security_service", country="EG")],
        sources=[SourceData(reference="Her account to our network", kind="testimony")],
        tlp="amber",
        status="open",
    )


def _diaspora(today: date) -> IncidentData:
    started = today - timedelta(days=60)
    return IncidentData(
        title="Threats to an Eritrean activist in Stockholm",
        narrative=f"{FICTIONAL} A diaspora group close to the embassy warned her to stop "
        "organising; her passport renewal was refused the same month.",
        start_date=started,
        start_precision="month",
        host_countries=["SE"],
        origin_states=["ER"],
        tactics=["diaspora_informants", "mobility_controls"],
        place="Stockholm",
        targets=[
            TargetData(
                role="primary",
                target_group="activist",
                person=_person(
                    [("Senait Tesfay", "Latn")],
                    nationality="ER",
                    residence="SE",
                    statuses=("human_rights_defender",),
                ),
            )
        ],
        actors=[
            ActorData(role="proxy", actor_type="diaspora_group", country="SE"),
            ActorData(role="perpetrator", actor_type="consulate_embassy", country="ER"),
        ],
        sources=[SourceData(reference="Her testimony", kind="testimony")],
        tlp="amber",
        status="triage",
    )


def _designation(today: date) -> IncidentData:
    started = today - timedelta(days=120)
    return IncidentData(
        title="Exiled dissidents in three countries designated as terrorists",
        narrative=f"{FICTIONAL} The interior ministry listed eleven exiles living in the "
        "United Kingdom, Türkiye and Canada as terrorists, froze their families' assets and "
        "those of three companies they run.",
        start_date=started,
        host_countries=["GB", "TR", "CA"],
        origin_states=["BH"],
        tactics=["terrorist_designation", "asset_freeze"],
        targets=[
            TargetData(
                role="primary",
                target_group="activist",
                member_of=0,
                person=_person([(name, "Latn")], nationality="BH", residence=home),
            )
            for name, home in (("Fictional Exile Ali", "GB"), ("Fictional Exile Sara", "CA"))
        ],
        groups=[
            GroupData(
                size=11, target_group="activist", description="Exiles named in the ministry's list"
            )
        ],
        organisations=[
            OrganisationData(name=f"Fictional Exile Media {n} Ltd", kind="company", country="GB")
            for n in ("North", "South", "West")
        ],
        actors=[ActorData(role="perpetrator", actor_type="government", country="BH")],
        mechanisms=[MechanismData(kind="terrorist_designation", issued_by="BH")],
        sources=[
            _source(
                "https://example.org/designation-list",
                "Fictional Gazette",
                started,
                "reliable",
            )
        ],
        tlp="green",
        status="open",
    )


def _forced_landing(today: date) -> IncidentData:
    started = today - timedelta(days=200)
    return IncidentData(
        title="Passenger plane forced to land to arrest a blogger",
        narrative=f"{FICTIONAL} Fighter jets escorted a flight between two EU capitals to "
        "land; a blogger on board was arrested at the airport.",
        start_date=started,
        host_reason="in_transit",
        origin_states=["BY"],
        tactics=["rendition"],
        actors=[ActorData(role="perpetrator", actor_type="armed_forces", country="BY")],
        sources=[
            _source("https://example.org/forced-landing", "Fictional Wire", started, "reliable")
        ],
        tlp="clear",
        status="open",
    )


def _relatives_at_home(today: date) -> IncidentData:
    started = today - timedelta(days=45)
    return IncidentData(
        title="Relatives of an unnamed exile threatened at home",
        narrative=f"{FICTIONAL} Police visited the parents of an exile whose whereabouts we "
        "do not record and told them their son must stop speaking abroad.",
        start_date=started,
        start_precision="month",
        host_reason="origin_only",
        origin_states=["TJ"],
        tactics=["family_coercion", "threats"],
        targets=[
            TargetData(
                role="relative",
                relation="parent",
                target_group="family_member",
                person=_person([("Fictional Parent", "Latn")], nationality="TJ", residence="TJ"),
            )
        ],
        actors=[ActorData(role="perpetrator", actor_type="police", country="TJ")],
        sources=[SourceData(reference="A relative's account", kind="testimony")],
        tlp="amber",
        status="triage",
    )


def _undated(today: date) -> IncidentData:
    # Nothing dated: the flow of a date not known (the precision "unknown").
    del today
    return IncidentData(
        title="Threats to the brother of an exiled blogger, date not known",
        narrative=f"{FICTIONAL} The blogger learned years later that his brother had been "
        "warned by officials to make him stop writing for the outlet; neither remembers when.",
        start_date=None,
        start_precision="unknown",
        host_countries=["LT"],
        origin_states=["BY"],
        tactics=["family_coercion", "threats"],
        # The designated company of _designation, typed another way: recorded twice, so that
        # the demo's targeted organisations have a merge to try.
        organisations=[OrganisationData(name="Exile Media North", kind="media_outlet")],
        sources=[SourceData(reference="The blogger's account", kind="testimony")],
        tlp="amber",
        status="triage",
    )


def flow_incidents(today: date) -> list[FlowIncident]:
    """The incidents of the flows, in the order they are recorded."""
    return [
        FlowIncident("extradition", False, _extradition(today)),
        FlowIncident("surveillance", False, _surveillance(today)),
        FlowIncident("phishing", False, _phishing(today)),
        FlowIncident("red_notice", False, _red_notice(today)),
        FlowIncident("rendition", False, _rendition(today)),
        FlowIncident("family", True, _family(today)),
        FlowIncident("diaspora", True, _diaspora(today)),
        FlowIncident("designation", False, _designation(today)),
        FlowIncident("forced_landing", False, _forced_landing(today)),
        FlowIncident("relatives_at_home", False, _relatives_at_home(today)),
        FlowIncident("undated", False, _undated(today)),
    ]
