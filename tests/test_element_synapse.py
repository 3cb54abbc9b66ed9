"""The bot as Element users meet it: matrix-js-sdk with Rust crypto (tests/element), on the
throwaway Synapse. Each js-sdk user bootstraps cross-signing, as Element does at first login.

Each test asserts what an Element user would notice: the answer arrives, it decrypts, the
shield, whether the push rules notify or highlight, and that every formatted_body the bot
sent is HTML that Element displays as written (its sanitizer's allow-list, below).
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from devtools.botrun import RunningBot
from devtools.element import ElementMember, body_of
from storage.models import PromptPost
from tests.test_prompts_synapse import daytime_zone
from tests.test_workshops_synapse import TZ, soon

pytestmark = pytest.mark.synapse

# Element's HTML allow-list: sanitizeHtmlParams in element-hq/element-web apps/web/src/Linkify.tsx
# (commit 1707c330fcbd4e7f540d0c69f244be6b0f015afc), the schemes from PERMITTED_URL_SCHEMES
# (@element-hq/web-shared-components, formerly src/linkify-matrix.ts). `style` is listed there
# for font, span and img only because its transformTags deletes any style it did not make itself,
# so a bot's own `style` never shows: it is left out here.
ELEMENT_TAGS = {
    "font", "del", "s", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "p", "a", "ul", "ol", "sup", "sub",
    "nl", "li", "b", "i", "u", "strong", "em", "strike", "code", "hr", "br", "div", "table", "thead",
    "caption", "tbody", "tr", "th", "td", "pre", "span", "img", "details", "summary",
}
ELEMENT_ATTRIBUTES = {
    "font": {"color", "data-mx-bg-color", "data-mx-color"},
    "span": {"data-mx-maths", "data-mx-bg-color", "data-mx-color", "data-mx-spoiler"},
    "div": {"data-mx-maths"},
    "a": {"href", "name", "target", "rel"},
    "img": {"src", "alt", "title"},  # width/height become max sizes in transformTags
    "ol": {"start"},
    "code": {"class"},  # only language-* classes survive
}
ELEMENT_IMG_ATTRIBUTES = {"width", "height"}
ELEMENT_URL_SCHEMES = {
    "bitcoin", "ftp", "geo", "http", "https", "im", "irc", "ircs", "magnet", "mailto", "matrix", "mms", "news",
    "nntp", "openpgp4fpr", "sip", "sftp", "sms", "smsto", "ssh", "tel", "urn", "webcal", "wtai", "xmpp",
}
ELEMENT_NESTING_LIMIT = 50


class _ElementHtmlCheck(HTMLParser):
    """Collects what Element's sanitizer would drop or change in one formatted_body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ELEMENT_TAGS:
            self.problems.append(f"<{tag}> is not allowed")
        allowed = ELEMENT_ATTRIBUTES.get(tag, set()) | (ELEMENT_IMG_ATTRIBUTES if tag == "img" else set())
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"<{tag} {name}=…> is dropped")
            elif name == "href":
                scheme = urlsplit(value or "").scheme
                if scheme not in ELEMENT_URL_SCHEMES:
                    self.problems.append(f"<a href={value!r}>: scheme {scheme!r} is not allowed")
            elif tag == "img" and name == "src" and not (value or "").startswith("mxc://"):
                self.problems.append(f"<img src={value!r}>: only mxc:// images are shown")
            elif tag == "code" and name == "class":
                if any(not c.startswith("language-") for c in (value or "").split()):
                    self.problems.append(f"<code class={value!r}>: only language-* classes are kept")
            elif name in ("data-mx-color", "data-mx-bg-color") and not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
                self.problems.append(f"<{tag} {name}={value!r}>: not a #rrggbb colour")
        if tag not in ("img", "br", "hr"):
            self.depth += 1
            if self.depth > ELEMENT_NESTING_LIMIT:
                self.problems.append("nested deeper than 50 levels")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("img", "br", "hr"):
            self.depth -= 1


def element_html_problems(html: str) -> list[str]:
    check = _ElementHtmlCheck()
    check.feed(html)
    check.close()
    return check.problems


def test_the_html_check_finds_what_element_would_drop():
    assert element_html_problems('<p>Hi <strong>all</strong><br/><a href="https://x.org">x</a></p>'
                                 '<ol start="2"><li><code class="language-py">a</code></li></ol>') == []
    assert element_html_problems('<table><tr><td><font data-mx-color="#aabbcc">c</font></td></tr></table>') == []
    for bad in ('<script>x</script>', '<p style="color:red">x</p>', '<a href="javascript:alert(1)">x</a>',
                '<img src="https://x.org/a.png">', '<span class="big">x</span>', '<iframe src="x"></iframe>',
                '<a href="//x.org">x</a>', '<code class="hljs">x</code>', '<font data-mx-color="red">x</font>'):
        assert element_html_problems(bad), bad


async def assert_element_shows_bot_html(users: list[ElementMember], bot: str) -> int:
    """Every formatted_body the bot sent to these users is within Element's allow-list."""
    seen = 0
    for user in users:
        for event in await user.messages_from(bot):
            content = event["content"]
            if content.get("format") != "org.matrix.custom.html":
                continue
            seen += 1
            problems = element_html_problems(content.get("formatted_body", ""))
            assert not problems, (content.get("msgtype"), problems, body_of(event)[:80])
    return seen


async def cross_signed(*users: ElementMember) -> None:
    """What Element does at a first login: cross-signing keys, secret storage, key backup."""
    for result in await asyncio.gather(*(u.bootstrap_cross_signing() for u in users)):
        assert result == {"ready": True, "own_device_signed": True}


def assert_decrypted(event: dict) -> None:
    assert event["encrypted"] and not event["decryption_failure"], event["type"]


async def test_plain_and_encrypted_rooms_setup_status_and_an_encrypted_dm_consultation(
        bot_cfg, bot_user, element_members):
    fac, asker, colleague = await element_members("efac", "easker", "ecolleague")
    await cross_signed(fac, asker, colleague)
    bot = bot_user.user_id
    async with RunningBot(bot_cfg(consultations={"posting_delay_seconds": [0, 1]})):
        plain = await fac.room_with("Plain room", bot)
        pong = await fac.ask(plain, "!cop ping", bot)
        assert body_of(pong).startswith("pong.") and not pong["encrypted"]

        room = await fac.room_with("Practice circle", bot, (asker, colleague), encrypted=True)
        pong = await fac.ask(room, "!cop ping", bot)
        assert body_of(pong).startswith("pong.")
        assert_decrypted(pong)
        assert pong["content"]["msgtype"] == "m.notice"

        welcome = await fac.ask(room, "!cop setup Outaouais circle", bot)
        assert_decrypted(welcome)
        assert body_of(welcome).startswith("Welcome to Outaouais circle")
        assert "<strong>Outaouais circle</strong>" in welcome["content"]["formatted_body"]
        status = await colleague.ask(room, "!cop status", bot)
        assert_decrypted(status)
        assert "Outaouais circle" in body_of(status)

        # Element's "Start chat": an encrypted DM with the bot, then the consultation in it.
        dm = await asker.create_room(invite=[bot], direct=True, encrypted=True)
        await asker.wait_member(dm, bot)
        intro = await asker.ask(dm, "consult", bot)
        assert_decrypted(intro)
        assert "Your identity stays hidden" in body_of(intro)
        preview = await asker.ask(dm, "The mother, Samira Haddad, fears the custody exchange on Friday; "
                                      "call her at 514-555-0199. How can we plan it safely? #IPV", bot)
        assert_decrypted(preview)
        assert "Samira" not in body_of(preview) and "[phone]" in body_of(preview)
        ack = await asker.ask(dm, "send", bot, contains="`")
        code = re.search(r"`([a-z]+(?:-[a-z]+){3})`", body_of(ack)).group(1)

        post = await colleague.wait_for(30, room=room, sender=bot, body_startswith="Consultation ")
        assert_decrypted(post)
        assert "[name]" in body_of(post) and "Samira" not in body_of(post) and "514-555" not in body_of(post)
        await colleague.say(room, "Has anyone looked at the father's access to weapons?", thread_root=post["event_id"])
        for _ in range(20):  # until the bot has read the reply (other notices may come between)
            digest = await asker.ask(dm, f"replies {code}", bot, contains="consultation")
            if "weapons" in body_of(digest):
                break
            await asyncio.sleep(0.5)
        assert_decrypted(digest)
        assert "weapons" in body_of(digest)

    assert await assert_element_shows_bot_html([fac, asker, colleague], bot) >= 8


async def test_reaction_rsvp_its_removal_the_encrypted_calendar_and_a_counted_thread_reply(bot_cfg, bot_user, element_members):
    fac, bob = await element_members("efac", "ebob")
    await cross_signed(fac, bob)
    bot = bot_user.user_id
    async with RunningBot(bot_cfg()) as running:
        room = await fac.room_with("Circle", bot, (bob,), encrypted=True)
        await fac.ask(room, "!cop setup Circle", bot)
        start = soon(5)
        announcement = await fac.ask(room, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 2 weeks count 2", bot)
        assert_decrypted(announcement)

        # Element's reaction picker sends an m.reaction (reactions are not encrypted).
        reaction = await bob.react(room, announcement["event_id"], "✅")

        async def rsvp_counts(expected: str) -> str:
            for _ in range(20):  # a reaction gets no answer: look until it is counted
                details = body_of(await bob.ask(room, "!cop workshop 1", bot))
                if expected in details:
                    return details
                await asyncio.sleep(0.5)
            return details

        assert "1 yes, 0 maybe, 0 no" in await rsvp_counts("1 yes, 0 maybe, 0 no")
        await bob.redact(room, reaction)  # Element's "Remove" on one's own reaction
        assert "0 yes, 0 maybe, 0 no" in await rsvp_counts("0 yes, 0 maybe, 0 no")

        calendar = await bob.ask(room, "!cop workshops ics", bot)
        assert_decrypted(calendar)
        assert calendar["content"]["msgtype"] == "m.file" and "file" in calendar["content"]  # uploaded encrypted
        ics = await bob.download_text(calendar["content"])
        assert ics.startswith("BEGIN:VCALENDAR") and ics.count("BEGIN:VEVENT") == 2

        prompt = await fac.ask(room, "!cop prompt", bot, contains="Reflective prompt")
        assert_decrypted(prompt)
        assert prompt["content"]["msgtype"] == "m.text" and body_of(prompt).startswith("Reflective prompt")
        await bob.say(room, "What helps me is calling the shelter worker before court.", thread_root=prompt["event_id"])
        for _ in range(40):
            async with running.services.db() as session:
                row = (await session.exec(select(PromptPost).where(PromptPost.state == "posted"))).one()
            if row.replies:
                break
            await asyncio.sleep(0.25)
        assert (row.replies, row.repliers) == (1, 1)

    assert await assert_element_shows_bot_html([fac, bob], bot) >= 5


# The tests below depend on work being done in parallel on main (a first DM message sent before
# the bot joins, the bot cross-signing its own device, notifying reminders and invitations);
# they may fail on a branch without it. They are deliberately not marked xfail.

async def test_a_first_dm_message_sent_before_the_bot_joins_is_answered_once(bot_cfg, bot_user, element_members):
    # Depends on parallel work on main: the bot reading what was sent before its join.
    (ann,) = await element_members("eann")
    await cross_signed(ann)
    bot = bot_user.user_id
    cfg = bot_cfg()

    async def answers_in(dm: str) -> list[dict]:
        return [e for e in await ann.messages_from(bot) if e["room_id"] == dm and body_of(e).startswith("pong.")]

    async with RunningBot(cfg):
        # "Start chat" and "ping" at once: sent as soon as her client knows the bot is invited
        # (so it encrypts for the bot's device too, as Element does for invited members). The
        # bot usually joins within that time, so this half may not catch a message before the join.
        since = await ann.mark()
        live = await ann.create_room(invite=[bot], direct=True, encrypted=True)
        await ann.wait_member(live, bot, membership=["invite", "join"])
        await ann.say(live, "ping")
        assert_decrypted(await ann.wait_for(30, room=live, sender=bot, body_startswith="pong.", since=since))
    # Certainly before the join: the bot is down (its device keys are known from its first run).
    since = await ann.mark()
    dm = await ann.create_room(invite=[bot], direct=True, encrypted=True)
    await ann.wait_member(dm, bot, membership="invite")
    await ann.say(dm, "ping")
    async with RunningBot(cfg):
        assert_decrypted(await ann.wait_for(30, room=dm, sender=bot, body_startswith="pong.", since=since))
        await asyncio.sleep(5)  # a second answer would come within this
        assert len(await answers_in(dm)) == 1
        assert len(await answers_in(live)) == 1


async def test_the_bot_device_is_signed_by_its_owner_as_element_sees_it(bot_cfg, bot_user, element_members):
    # Depends on parallel work on main: the bot cross-signs its device when it has its password.
    (fac,) = await element_members("efac")
    await cross_signed(fac)
    bot = bot_user.user_id
    async with RunningBot(bot_cfg(matrix={"password": bot_user.password})):
        room = await fac.room_with("Circle", bot, encrypted=True)
        pong = await fac.ask(room, "!cop ping", bot)
        status = await fac.device_status(bot, bot_user.device_id)
        assert status is not None and status["signed_by_owner"], status
        # Element's shield on the bot's messages: no "device not verified by its owner".
        assert pong["shield"] is None or pong["shield"]["reason"] != "UNSIGNED_DEVICE", pong["shield"]


async def test_a_member_excluding_insecure_devices_still_talks_to_the_bot_both_ways(
        bot_cfg, bot_user, element_members):
    # Depends on parallel work on main: the bot's device must be cross-signed (it has its
    # password here) for such a member to send it keys and to read what it sends.
    fac, bob = await element_members("efac", "ebob")
    await cross_signed(fac, bob)
    bot = bot_user.user_id
    async with RunningBot(bot_cfg(matrix={"password": bot_user.password})):
        room = await fac.room_with("Circle", bot, (bob,), encrypted=True)
        # Element's "Exclude insecure devices when sending or receiving messages".
        await bob.exclude_insecure_devices(True)
        pong = await bob.ask(room, "!cop ping", bot, timeout=30)  # an answer: the bot read bob's message
        assert body_of(pong).startswith("pong."), body_of(pong)
        assert_decrypted(pong)  # bob read the answer: it came from a device its owner signed


async def test_the_last_reminder_highlights_the_room_when_the_bot_may_notify_it(bot_cfg, bot_user, element_members):
    # Depends on parallel work on main: an @room mention Element's push rules highlight.
    fac, bob = await element_members("efac", "ebob")
    await cross_signed(fac, bob)
    bot = bot_user.user_id
    async with RunningBot(bot_cfg(workshops={"allow_seconds_offsets": True})):
        room = await fac.room_with("Circle", bot, (bob,), encrypted=True)
        await fac.ask(room, "!cop setup Circle", bot)
        await fac.set_power(room, bot, 50)  # the default "notifications.room" level
        await bob.wait_for(room=room, type="m.room.power_levels")
        answer = await fac.ask(room, "!cop reminders mention on", bot)
        assert "notify the whole room" in body_of(answer)
        start = soon()
        lead = int((start - datetime.now(TZ)).total_seconds()) - 10
        await fac.ask(room, f"!cop reminders {lead}s", bot)
        since = await bob.mark()
        await fac.ask(room, f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 1 weeks count 1", bot)
        reminder = await bob.wait_for(60, room=room, sender=bot, body_contains="Reminder: workshop 1", since=since)
        assert_decrypted(reminder)
        assert reminder["push"] == {"notify": True, "highlight": True}, reminder["push"]


async def test_a_checkin_invitation_notifies_under_the_default_push_rules(bot_cfg, bot_user, element_members):
    # Depends on parallel work on main: invitations sent as messages that notify (not m.notice).
    fac, bob = await element_members("efac", "ebob")
    await cross_signed(fac, bob)
    bot = bot_user.user_id
    async with RunningBot(bot_cfg(checkins={"invite_after": "3s", "remind_after": "1h"})):
        room = await fac.room_with("Circle", bot, (bob,), encrypted=True)
        await fac.ask(room, "!cop setup Circle", bot)
        zone = daytime_zone()
        await fac.ask(room, f"!cop timezone {zone}", bot)
        await fac.ask(room, "!cop prompts hours every day 00:00-23:59", bot)
        now = datetime.now(ZoneInfo(zone))
        start = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        if (start - now).total_seconds() < 10:
            start += timedelta(minutes=1)
        await fac.ask(room, f"!cop workshop add {start:%Y-%m-%d %H:%M}", bot)
        # The bot opens the DM; Element shows the invitation and the user accepts it.
        invite = await bob.wait_for(150, sender=bot, body_contains="how has your practice changed")
        assert invite["room_id"] != room
        assert_decrypted(invite)
        assert invite["push"]["notify"], (invite["content"].get("msgtype"), invite["push"])
