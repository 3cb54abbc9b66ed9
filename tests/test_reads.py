"""The in-memory copy of each room's community and of granted roles (bot/reads.py): a change the
bot commits is seen by the very next message, and nothing stale is kept."""

from __future__ import annotations

from tests.fakes import Harness, say

FAC, BOB = "@fac:test", "@bob:test"
ROOM = "!room:test"


async def test_a_committed_change_is_seen_by_the_next_message(tmp_path):
    async with Harness(tmp_path) as h:
        await h.open_community(ROOM, {FAC: 100, BOB: 0}, by=FAC)
        assert "is running" in await say(h, "ping", BOB)  # the community is cached now
        await say(h, "language fr", FAC)
        assert "fonctionne" in await say(h, "ping", BOB)
        await say(h, "close", FAC)
        assert "a été fermée" in await say(h, "workshops plan 2027-03-01 18:00 every 6 weeks", FAC)


async def test_a_granted_role_counts_at_once(tmp_path):
    async with Harness(tmp_path) as h:
        await h.open_community(ROOM, {FAC: 100, BOB: 0}, by=FAC)
        refused = await say(h, "workshops plan 2027-03-01 18:00 every 6 weeks", BOB)
        assert "facilitator" in refused.lower()  # Bob's (empty) grants are cached now
        await say(h, f"role {BOB} facilitator", FAC)
        assert "workshops planned" in await say(h, "workshops plan 2027-03-01 18:00 every 6 weeks", BOB)


async def test_a_read_that_overlaps_a_commit_is_not_kept(tmp_path):
    async with Harness(tmp_path) as h:
        await h.open_community(ROOM, {FAC: 100}, by=FAC)
        reads, db = h.services.reads, h.services.db
        original = reads._communities.get

        async def get_with_a_commit_meanwhile(key, load):
            async def load_then_commit():
                row = await load()  # the old row
                reads._communities.get = original
                await say(h, "language fr", FAC)  # committed while the read was in flight
                return row
            return await original(key, load_then_commit)

        reads._communities.get = get_with_a_commit_meanwhile
        old = await reads.community_of(db, ROOM)
        assert old.language == "en"
        assert (await reads.community_of(db, ROOM)).language == "fr"


async def test_changing_the_copy_does_not_change_the_cache(tmp_path):
    async with Harness(tmp_path) as h:
        await h.open_community(ROOM, {FAC: 100}, by=FAC)
        copy = await h.services.reads.community_of(h.services.db, ROOM)
        copy.name = "Changed in memory only"
        assert (await h.services.reads.community_of(h.services.db, ROOM)).name == "North circle"
