"""The words of the demo incidents: titles, narratives, actors and legal mechanisms by
tactic, and fictional publishers. Every publisher lives on a reserved example domain."""

from __future__ import annotations

PUBLISHERS = (
    ("Exile Herald", "exileherald.example.org"),
    ("Steppe Monitor", "steppemonitor.example.org"),
    ("Diaspora Courier", "diasporacourier.example.net"),
    ("Rights Desk", "rightsdesk.example.org"),
    ("Northern Wire", "northernwire.example.com"),
    ("Open Border Review", "obr.example.org"),
    ("Observatory on Transnational Repression", "otr.example.org"),
)

TITLES = {
    "host_detention": "{who} detained in {city} at {adj} request",
    "unlawful_deportation": "{who} deported from {host} to {origin}",
    "rendition": "{who} abducted in {city} and taken to {origin}",
    "interpol_abuse": "{adj} Red Notice against {who} in {city}",
    "extradition_request": "{adj} extradition request for {who} in {city}",
    "terrorist_designation": "{who} in {city} put on a terrorist list in {origin}",
    "prosecution_in_absentia": "{who} in {city} sentenced in absentia in {origin}",
    "mobility_controls": "Passport renewal refused to {who} in {city}",
    "denationalisation": "{who} in {city} stripped of {adj} nationality",
    "asset_freeze": "Assets of {who} in {city} frozen in {origin}",
    "family_coercion": "Family of {who} in {city} detained in {origin}",
    "digital_threats": "Online threats against {who} in {city}",
    "smear_campaign": "{adj} state media smear {who} in {city}",
    "doxxing": "Home address of {who} in {city} published online",
    "phishing": "Phishing campaign against {who} in {city}",
    "hacking": "Accounts of {who} in {city} taken over",
    "spyware": "Spyware found on the phone of {who} in {city}",
    "assassination": "Suspected killing of {who} in {city}",
    "assault": "{who} assaulted in {city}",
    "attack_on_property": "Car of {who} set on fire in {city}",
    "threats": "{who} in {city} threatened with harm",
    "punitive_listing": "{who} in {city} put under {adj} sanctions",
    "physical_intimidation": "{who} followed and photographed in {city}",
    "diaspora_informants": "Informants report on {who} in {city}",
    "overseas_police_station": "'Service station' in {city} presses {who} to return",
    "third_party_pressure": "Employer of {who} in {city} pressed by {adj} embassy",
}

STORY = {
    "host_detention": "Police in {city} held the target at {origin}'s request.",
    "unlawful_deportation": "The {host} authorities deported the target to {origin} while an "
    "asylum claim was pending.",
    "rendition": "The target disappeared in {city}; the family later learned of detention in "
    "{origin}.",
    "interpol_abuse": "The {adj} authorities had the target listed with INTERPOL on charges "
    "that look political.",
    "extradition_request": "{origin} asked {host} to extradite the target.",
    "terrorist_designation": "The target was put on an {adj} terrorist list that no "
    "international list confirms.",
    "prosecution_in_absentia": "A court in {origin} tried the target in absentia.",
    "mobility_controls": "The {adj} consulate in {city} refused to renew the target's passport.",
    "denationalisation": "The {adj} authorities stripped the target of nationality.",
    "asset_freeze": "The target's property in {origin} was frozen.",
    "family_coercion": "Officers in {origin} summoned the target's family and told them to "
    "bring the target home.",
    "digital_threats": "The target received threats from anonymous accounts.",
    "smear_campaign": "{adj} state media called the target a traitor.",
    "doxxing": "The target's home address was published online.",
    "phishing": "Fake login pages imitating a human-rights group were sent to the target.",
    "hacking": "The target's messaging and e-mail accounts were taken over.",
    "spyware": "A forensic check found spyware on the target's phone.",
    "assassination": "The target was found dead in {city}; investigators suspect people acting "
    "for {origin}.",
    "assault": "Unknown men attacked the target near home in {city}.",
    "attack_on_property": "The target's car was set on fire outside their home in {city}.",
    "threats": "A caller said the target's family would pay if the target kept speaking out.",
    "punitive_listing": "{origin} put the target on its sanctions list.",
    "physical_intimidation": "Men believed to work for {origin} followed the target in {city}.",
    "diaspora_informants": "Members of a pro-government association in {city} reported on the "
    "target.",
    "overseas_police_station": "Staff of an unofficial {adj} 'service station' in {city} "
    "pressed the target to return.",
    "third_party_pressure": "The {adj} embassy contacted the target's employer in {city}.",
}

# (actor role, actor type, whose: origin, host or nobody) by tactic.
ACTORS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "host_detention": (("host_authority", "police", "host"),),
    "unlawful_deportation": (("host_authority", "immigration_authority", "host"),),
    "rendition": (("perpetrator", "security_service", "origin"),),
    "interpol_abuse": (("perpetrator", "police", "origin"),),
    "extradition_request": (("perpetrator", "court", "origin"),),
    "terrorist_designation": (("perpetrator", "security_service", "origin"),),
    "prosecution_in_absentia": (("perpetrator", "court", "origin"),),
    "mobility_controls": (("perpetrator", "consulate_embassy", "origin"),),
    "denationalisation": (("perpetrator", "court", "origin"),),
    "asset_freeze": (("perpetrator", "court", "origin"),),
    "family_coercion": (("perpetrator", "police", "origin"),),
    "digital_threats": (("perpetrator", "unknown", ""),),
    "smear_campaign": (("perpetrator", "state_media", "origin"),),
    "doxxing": (("perpetrator", "unknown", ""),),
    "phishing": (("perpetrator", "security_service", "origin"),),
    "hacking": (("perpetrator", "security_service", "origin"),),
    "spyware": (("perpetrator", "security_service", "origin"), ("company", "private_firm", "")),
    "assassination": (
        ("perpetrator", "security_service", "origin"),
        ("proxy", "criminal_group", ""),
    ),
    "assault": (("proxy", "criminal_group", ""),),
    "attack_on_property": (("proxy", "criminal_group", ""),),
    "threats": (("perpetrator", "unknown", ""),),
    "punitive_listing": (("perpetrator", "government", "origin"),),
    "physical_intimidation": (("perpetrator", "security_service", "origin"),),
    "diaspora_informants": (("proxy", "diaspora_group", "host"),),
    "overseas_police_station": (
        ("perpetrator", "police", "origin"),
        ("proxy", "diaspora_group", "host"),
    ),
    "third_party_pressure": (("perpetrator", "consulate_embassy", "origin"),),
}

ACTOR_NAMES = {
    "police": "{adj} police",
    "immigration_authority": "{host} migration service",
    "security_service": "{adj} state security service",
    "court": "A court in {origin}",
    "government": "The government of {origin}",
    "consulate_embassy": "{adj} consulate in {city}",
    "state_media": "{adj} state television",
    "diaspora_group": "Pro-government {demonym} association in {city} (fictional)",
    "criminal_group": "Hired men, unidentified",
    "private_firm": "A spyware vendor, unidentified",
    "unknown": "",
}

MECHANISMS = {
    "interpol_abuse": "interpol_red_notice",
    "extradition_request": "extradition_request",
    "terrorist_designation": "terrorist_designation",
    "prosecution_in_absentia": "conviction_in_absentia",
    "mobility_controls": "passport_cancellation",
    "denationalisation": "denationalisation",
}
