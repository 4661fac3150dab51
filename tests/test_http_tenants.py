"""A person is who they are in their own tenant: an Azure AD object id from another tenant is someone else."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from storage.models import Person
from tests.conftest import PEOPLE, Harness
from tests.teams import TENANT, TeamsUser, card_texts

OTHER_TENANT = "9d9d9d9d-2222-4333-8444-955566667777"
NOT_KNOWN = "Steward does not know you yet, so it cannot show you any contract information."


def in_other_tenant(harness: Harness, first_name: str) -> TeamsUser:
    """Someone in another tenant whose Azure AD object id is the same string as a person's here."""
    name, aad = PEOPLE[first_name]
    here = harness.user(first_name)
    return TeamsUser(
        here.client,
        here.service_url,
        name,
        aad,
        user_id=f"29:other-{aad}",
        conversation_id=f"a:other-{aad}",
        tenant_id=OTHER_TENANT,
    )


async def test_an_object_id_from_another_tenant_is_not_that_person(harness: Harness) -> None:
    await harness.user("priya").say("help")  # Priya is first seen in her own tenant

    await in_other_tenant(harness, "priya").say("help")
    await harness.settle()

    [reply] = harness.connector.sent(f"a:other-{PEOPLE['priya'][1]}")
    assert NOT_KNOWN in card_texts(reply.card)


async def test_a_message_from_another_tenant_does_not_move_the_person_there(harness: Harness) -> None:
    await harness.user("priya").say("help")

    await in_other_tenant(harness, "priya").say("help")

    async with harness.steward.database.session() as session:
        query = select(Person).where(col(Person.aad_object_id) == PEOPLE["priya"][1])
        person = (await session.execute(query)).scalar_one()
    assert (person.tenant_id, person.teams_user_id) == (TENANT, "29:" + PEOPLE["priya"][1])


async def test_a_stranger_is_looked_up_in_teams_once_not_on_every_message(harness: Harness) -> None:
    here = harness.user("priya")
    stranger = TeamsUser(here.client, here.service_url, "Sam Nobody", None, user_id="29:sam-nobody")

    for _ in range(3):
        await stranger.say("help")
    await harness.settle()

    lookups = [c for c in harness.connector.calls if c.method == "GET"]
    assert len(lookups) == 1
    assert len(harness.connector.sent(stranger.conversation_id)) == 3
