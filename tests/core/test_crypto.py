"""Sealed values: any change to a ciphertext is refused, never misread.

An adversary who can write to the database (a stolen backup restored, a compromised
replica, SQL injection) must not be able to change what a case worker reads, move a
ciphertext to another record, or make one organisation's data readable as another's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create
from beyondreach.core import crypto
from beyondreach.core.audit import audit_verify
from beyondreach.core.errors import DecryptionError, MasterKeyError
from beyondreach.core.models import AuditEvent, Organisation
from beyondreach.core.sealed import forget_wrapped_keys
from beyondreach.core.services import master_key_rotate

from ..cases.factories import incident_data
from ..conftest import Personas

KEYS = st.binary(min_size=crypto.KEY_BYTES, max_size=crypto.KEY_BYTES)
PLAINTEXTS = st.binary(max_size=512)
AADS = st.binary(max_size=80)
# No example database: these properties are cheap to re-explore, and nothing is left in the
# working tree.
PROPERTY = hypothesis_settings(max_examples=300, deadline=None, database=None)


@PROPERTY
@given(key=KEYS, plaintext=PLAINTEXTS, aad=AADS)
def test_it_opens_what_it_sealed(key: bytes, plaintext: bytes, aad: bytes) -> None:
    assert crypto.unseal(key, crypto.seal(key, plaintext, aad), aad) == plaintext


@PROPERTY
@given(key=KEYS, plaintext=PLAINTEXTS, aad=AADS, data=st.data())
def test_it_refuses_a_sealed_value_with_any_byte_flipped(
    key: bytes, plaintext: bytes, aad: bytes, data: st.DataObject
) -> None:
    blob = bytearray(crypto.seal(key, plaintext, aad))
    position = data.draw(st.integers(0, len(blob) - 1), label="position")
    blob[position] ^= data.draw(st.integers(1, 255), label="xor")
    with pytest.raises(DecryptionError):
        crypto.unseal(key, bytes(blob), aad)


@PROPERTY
@given(key=KEYS, plaintext=PLAINTEXTS, aad=AADS, data=st.data())
def test_it_refuses_a_truncated_sealed_value(
    key: bytes, plaintext: bytes, aad: bytes, data: st.DataObject
) -> None:
    blob = crypto.seal(key, plaintext, aad)
    cut = data.draw(st.integers(0, len(blob) - 1), label="cut")
    for piece in (blob[:cut], blob[len(blob) - cut :]):
        with pytest.raises(DecryptionError):
            crypto.unseal(key, piece, aad)


@PROPERTY
@given(key=KEYS, plaintext=PLAINTEXTS, aad=AADS, extra=st.binary(min_size=1, max_size=64))
def test_it_refuses_a_sealed_value_with_bytes_appended(
    key: bytes, plaintext: bytes, aad: bytes, extra: bytes
) -> None:
    with pytest.raises(DecryptionError):
        crypto.unseal(key, crypto.seal(key, plaintext, aad) + extra, aad)


@PROPERTY
@given(key=KEYS, plaintext=PLAINTEXTS, aad=AADS, other=AADS)
def test_it_refuses_a_sealed_value_bound_to_another_record(
    key: bytes, plaintext: bytes, aad: bytes, other: bytes
) -> None:
    if other == aad:
        other = aad + b"x"
    with pytest.raises(DecryptionError):
        crypto.unseal(key, crypto.seal(key, plaintext, aad), other)


@PROPERTY
@given(key=KEYS, other=KEYS, plaintext=PLAINTEXTS, aad=AADS)
def test_it_refuses_a_sealed_value_under_another_key(
    key: bytes, other: bytes, plaintext: bytes, aad: bytes
) -> None:
    if other == key:
        other = bytes([key[0] ^ 1]) + key[1:]
    with pytest.raises(DecryptionError):
        crypto.unseal(other, crypto.seal(key, plaintext, aad), aad)


def test_it_seals_the_same_value_differently_each_time() -> None:
    # A random nonce per value: equal names must not give equal ciphertexts (that would be
    # an unkeyed index anyone could use to link records).
    key = crypto.new_key()
    blobs = {crypto.seal(key, b"Gulnara Tokhtieva", b"aad") for _ in range(50)}
    assert len(blobs) == 50


@PROPERTY
@given(master=KEYS, data_key=KEYS, data=st.data())
def test_it_refuses_an_altered_wrapped_data_key(
    master: bytes, data_key: bytes, data: st.DataObject
) -> None:
    wrapped = bytearray(crypto.wrap_key(master, data_key))
    assert crypto.unwrap_key(master, bytes(wrapped)) == data_key
    position = data.draw(st.integers(0, len(wrapped) - 1), label="position")
    wrapped[position] ^= data.draw(st.integers(1, 255), label="xor")
    with pytest.raises(DecryptionError):
        crypto.unwrap_key(master, bytes(wrapped))


def test_it_refuses_to_unwrap_a_data_key_with_the_wrong_master_key() -> None:
    wrapped = crypto.wrap_key(crypto.new_key(), crypto.new_key())
    with pytest.raises(DecryptionError, match="wrong master key"):
        crypto.unwrap_key(crypto.new_key(), wrapped)


@pytest.mark.parametrize(
    "text", ["", "not base64 at all!", crypto.encode_key(b"short"), crypto.encode_key(bytes(33))]
)
def test_it_rejects_a_master_key_that_is_not_32_bytes_of_base64(text: str) -> None:
    with pytest.raises(MasterKeyError):
        crypto.decode_key(text)


def test_it_reads_the_master_key_from_its_file(tmp_path: Path, settings: Settings) -> None:
    key = crypto.new_key()
    path = tmp_path / "master.key"
    path.write_text(crypto.encode_key(key) + "\n")
    settings.MASTER_KEY, settings.MASTER_KEY_PATH = "", path
    assert crypto.load_master_key() == key
    path.unlink()
    with pytest.raises(MasterKeyError, match="No master key"):
        crypto.load_master_key()


# Through the ORM: what a case worker would see after someone changed the database.


def _flip(blob: bytes | memoryview, position: int = 30) -> bytes:
    changed = bytearray(bytes(blob))
    changed[position] ^= 0x01
    return bytes(changed)


def test_it_refuses_to_show_a_title_altered_in_the_database(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    m.Incident.objects.filter(pk=incident.pk).update(title_sealed=_flip(incident.title_sealed))
    with pytest.raises(DecryptionError) as exc:
        _ = m.Incident.objects.get(pk=incident.pk).title
    # The message says where the damage is, and never what the value was.
    assert exc.value.message == (
        f"Cannot read cases.incident.title of {incident.uuid}: "
        "Encrypted value failed authentication: it was altered."
    )
    assert "Uyghur poet" not in str(exc.value)


def test_it_reads_a_sealed_field_again_after_refresh_from_db(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    assert incident.title.startswith("Red Notice")
    m.Incident.objects.filter(pk=incident.pk).update(title_sealed=_flip(incident.title_sealed))
    incident.refresh_from_db()
    with pytest.raises(DecryptionError):
        _ = incident.title


def test_it_refuses_a_ciphertext_moved_to_another_row_or_column(personas: Personas) -> None:
    one = incident_create(actor=personas.case_worker, data=incident_data())
    two = incident_create(actor=personas.case_worker, data=incident_data(title="Another"))
    m.Incident.objects.filter(pk=two.pk).update(title_sealed=one.title_sealed)
    m.Incident.objects.filter(pk=one.pk).update(narrative_sealed=one.title_sealed)
    names = list(m.PersonName.objects.order_by("pk"))
    m.PersonName.objects.filter(pk=names[1].pk).update(value_sealed=names[0].value_sealed)
    source = one.sources.get()
    m.Source.objects.filter(pk=source.pk).update(publisher_sealed=source.reference_sealed)

    with pytest.raises(DecryptionError, match=re.escape(f"cases.incident.title of {two.uuid}")):
        _ = m.Incident.objects.get(pk=two.pk).title
    with pytest.raises(DecryptionError, match=re.escape(f"cases.incident.narrative of {one.uuid}")):
        _ = m.Incident.objects.get(pk=one.pk).narrative
    with pytest.raises(DecryptionError, match=re.escape("cases.personname.value")):
        _ = m.PersonName.objects.get(pk=names[1].pk).value
    with pytest.raises(DecryptionError, match=re.escape("cases.source.publisher")):
        _ = m.Source.objects.get(pk=source.pk).publisher
    assert m.Incident.objects.get(pk=one.pk).title == one.title  # the original is intact


def test_it_refuses_a_ciphertext_copied_from_another_organisation(personas: Personas) -> None:
    ours = incident_create(actor=personas.case_worker, data=incident_data())
    theirs = incident_create(actor=personas.outsider, data=incident_data())
    # Same model, field and even the same row UUID: only the data key differs.
    m.Incident.objects.filter(pk=theirs.pk).delete()
    m.Incident.objects.filter(pk=ours.pk).update(title_sealed=theirs.title_sealed)
    m.Incident.objects.filter(pk=ours.pk).update(uuid=theirs.uuid)
    with pytest.raises(DecryptionError):
        _ = m.Incident.objects.get(pk=ours.pk).title


def test_it_gives_each_organisation_its_own_data_key(personas: Personas) -> None:
    keys = [o.keys for o in (personas.org, personas.other_org)]
    assert keys[0].data != keys[1].data
    assert len({keys[0].data, keys[0].index, keys[0].pseudonym}) == 3
    assert keys[0].data not in bytes(personas.org.wrapped_data_key)


def test_it_refuses_every_record_under_the_wrong_master_key(
    personas: Personas, settings: Settings
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    settings.MASTER_KEY = crypto.encode_key(crypto.new_key())
    forget_wrapped_keys()
    with pytest.raises(DecryptionError, match="wrong master key"):
        _ = m.Incident.objects.get(pk=incident.pk).title


def test_it_refuses_to_read_records_when_the_wrapped_data_key_was_altered(
    personas: Personas,
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    Organisation.objects.filter(pk=personas.org.pk).update(
        wrapped_data_key=_flip(personas.org.wrapped_data_key, 40)
    )
    forget_wrapped_keys()
    with pytest.raises(DecryptionError, match="altered key record"):
        _ = m.Incident.objects.get(pk=incident.pk).narrative


def test_it_keeps_every_record_readable_after_master_key_rotation(
    personas: Personas, master_key: bytes, settings: Settings
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    sealed_before = bytes(m.Incident.objects.get(pk=incident.pk).title_sealed)
    new_key = crypto.new_key()

    assert master_key_rotate(old_key=master_key, new_key=new_key) == 2
    settings.MASTER_KEY = crypto.encode_key(new_key)

    fresh = m.Incident.objects.get(pk=incident.pk)
    assert fresh.title == "Red Notice against a Uyghur poet in Istanbul"
    assert bytes(fresh.title_sealed) == sealed_before, "records are not re-encrypted"
    for org in Organisation.objects.all():
        with pytest.raises(DecryptionError):
            crypto.unwrap_key(master_key, bytes(org.wrapped_data_key))
    assert AuditEvent.objects.filter(action="master_key.rotate").count() == 2
    assert audit_verify() == []


def test_it_changes_no_key_when_rotation_fails_half_way(
    personas: Personas, master_key: bytes
) -> None:
    # The second organisation's key was wrapped by some other master key: rotation unwraps
    # the first, fails on the second, and must leave the first as it was (all or nothing).
    Organisation.objects.filter(pk=personas.other_org.pk).update(
        wrapped_data_key=crypto.wrap_key(crypto.new_key(), crypto.new_key())
    )
    before = {o.pk: bytes(o.wrapped_data_key) for o in Organisation.objects.all()}
    with pytest.raises(DecryptionError):
        master_key_rotate(old_key=master_key, new_key=crypto.new_key())
    after = {o.pk: bytes(o.wrapped_data_key) for o in Organisation.objects.all()}
    assert after == before
    assert not AuditEvent.objects.filter(action="master_key.rotate").exists()
