"""`make demo`: a throwaway Synapse, the bot and scripted members, printed as a transcript."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import tempfile
import textwrap
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import logs
from devtools.botrun import RunningBot, bot_config
from devtools.member import Member, body_of
from devtools.synapse import Synapse


def show(who: str, text: str) -> None:
    lines = text.strip().split("\n")
    print(f"\n  {who:>11} | " + lines[0])
    for line in lines[1:]:
        for piece in textwrap.wrap(line, 100) or [""]:
            print(f"  {'':>11} | {piece}")


async def exchange(member: Member, name: str, room: str, text: str, bot_id: str) -> dict:
    show(name, text)
    answer = await member.ask(room, text, bot_id, timeout=30)
    show("copbot 🔒" if answer.get("decrypted") else "copbot", body_of(answer))
    return answer


async def scene(hs: Synapse, folder: Path) -> None:
    bot_user, fac_user, mem_user, col_user = (await asyncio.gather(*(
        asyncio.to_thread(hs.register, name) for name in ("copbot", "facilitator", "member", "colleague"))))
    # A short posting delay keeps the demo brisk; the default is 2 to 15 minutes.
    # Reminder offsets in seconds let a reminder arrive during the demo.
    # Check-in invitations 5 seconds after a workshop starts (the default is 14 days).
    # The password lets the bot publish its cross-signing identity at start. The DM clean-up
    # delay is 10 minutes by default; 20 seconds here, so the demo shows the DM cleaning itself.
    config = bot_config(hs.url, bot_user, folder / "bot", matrix={"password": bot_user.password},
                        consultations={"posting_delay_seconds": [2, 4], "dm_cleanup_seconds": 20,
                                                     "require_encrypted_dm": True},
                        workshops={"allow_seconds_offsets": True},
                        checkins={"invite_after": "5s", "remind_after": "1h"})
    facilitator = Member(hs.url, fac_user)
    member = Member(hs.url, mem_user)
    colleague = Member(hs.url, col_user)
    try:
        await facilitator.sync()
        await member.sync()
        await colleague.sync()
        async with RunningBot(config):
            print(f"\n== A facilitator creates an end-to-end encrypted room and invites the bot ({bot_user.user_id})")
            room = await facilitator.room_with("Family violence practice circle", bot_user.user_id,
                                               (member, colleague), encrypted=True)
            print("   the bot joined on invite; every message below travels encrypted (🔒 = the member's client decrypted it)")
            print("   " + await identity_line(hs.url, facilitator, bot_user.user_id, bot_user.device_id))
            print("   (the same flows are tested with Element's own client library, matrix-js-sdk with Rust crypto:"
                  " tests/test_element_synapse.py)")

            print("\n== Checking the bot")
            await exchange(facilitator, "facilitator", room, "!cop ping", bot_user.user_id)
            await exchange(member, "member", room, "!cop help", bot_user.user_id)
            await exchange(member, "member", room, "!cop agenda", bot_user.user_id)
            await exchange(member, "member", room, "!cop help ping", bot_user.user_id)

            print("\n== The facilitator turns the room into a community and guides its stage")
            await exchange(facilitator, "facilitator", room, "!cop setup Laurentides practice circle", bot_user.user_id)
            await exchange(member, "member", room, "!cop stage next", bot_user.user_id)
            await exchange(facilitator, "facilitator", room, "!cop stage next Everyone has introduced themselves", bot_user.user_id)
            await exchange(member, "member", room, "!cop status", bot_user.user_id)

            await workshops(room, facilitator, member, colleague, bot_user.user_id)
            await prompts(room, facilitator, member, bot_user.user_id)

            print("\n== A private message to the bot (no prefix needed)")
            dm = await member.dm_with(bot_user.user_id, encrypted=True)
            await exchange(member, "member (DM)", dm, "ping", bot_user.user_id)

            print("\n== A message the bot cannot decrypt (the member's client never shared its key)")
            await member.send_undecryptable(dm)
            _, notice = await member.wait_for(lambda r, e: r == dm and "could not read" in body_of(e), timeout=30)
            show("copbot 🔒", body_of(notice))
            print("   (once an hour per sender at most; the bot also asked the member's devices for the key)")

            await sectors(room, member, colleague, bot_user.user_id)
            code = await consultation(dm, room, member, colleague, bot_user.user_id)
            await checkin(dm, member, bot_user.user_id)
            await dm_clean(dm, member, bot_user.user_id, code)
            await summary(room, facilitator, colleague, col_user.user_id, bot_user.user_id)
        await restart(config, room, member, colleague, bot_user.user_id)
        await export_files(config)
        await sector_figures(config)
        print("\nThe bot answered on a real homeserver. Demo finished.")
    finally:
        await facilitator.close()
        await member.close()
        await colleague.close()


async def workshops(room: str, facilitator: Member, member: Member, colleague: Member, bot_id: str) -> None:
    print("\n== The facilitator plans the series of five workshops")
    tz = ZoneInfo("America/Toronto")  # the community's timezone (the config default)
    now = datetime.now(tz)
    start = (now + timedelta(seconds=90)).replace(second=0, microsecond=0)  # 30 to 90 seconds ahead
    print("   (posting hours for every hour of the day, so prompts and check-ins can go out whenever the demo runs)")
    await exchange(facilitator, "facilitator", room, "!cop prompts hours every day 00:00-23:59", bot_id)
    announcement = await exchange(facilitator, "facilitator", room,
                                  f"!cop workshops plan {start:%Y-%m-%d %H:%M} every 6 weeks", bot_id)
    await exchange(facilitator, "facilitator", room, "!cop workshop 1 topic Why are we here?", bot_id)
    await exchange(facilitator, "facilitator", room, "!cop workshop 1 link https://meet.example.org/circle", bot_id)
    print("\n   (the last reminder can notify the whole room with @room, which needs power in the room)")
    await exchange(facilitator, "facilitator", room, "!cop reminders mention on", bot_id)
    show("facilitator", "makes the bot a Moderator (power level 50) in the room settings")
    levels = await facilitator.client.room_get_state_event(room, "m.room.power_levels")
    content = dict(levels.content)
    content["users"] = {**content.get("users", {}), bot_id: 50}
    await facilitator.client.room_put_state(room, "m.room.power_levels", content)
    await exchange(facilitator, "facilitator", room, "!cop reminders mention on", bot_id)
    lead = int((start - datetime.now(tz)).total_seconds()) - 8
    print(f"\n   (a reminder {lead} seconds before the start, so one arrives during the demo)")
    await exchange(facilitator, "facilitator", room, f"!cop reminders {lead}s 1d 1h", bot_id)
    await exchange(member, "member", room, "!cop rsvp 1 yes", bot_id)
    show("colleague", "reacts 🤔 to the announcement")
    await colleague.client.room_send(room, "m.reaction", {"m.relates_to": {
        "rel_type": "m.annotation", "event_id": announcement["event_id"], "key": "🤔"}},
        ignore_unverified_devices=True)
    _, reminder = await member.wait_for(
        lambda r, e: r == room and e.get("sender") == bot_id and "Reminder: workshop" in body_of(e), timeout=60)
    show("copbot (room)", body_of(reminder))
    print(f"   ({reminder['content']['msgtype']}, m.mentions {reminder['content']['m.mentions']}: "
          "the last reminder notifies everyone)")
    await exchange(member, "member", room, "!cop here", bot_id)
    await exchange(member, "member", room, "!cop workshops", bot_id)
    calendar = await exchange(member, "member", room, "!cop workshops ics", bot_id)
    print(f"   (the calendar file is {calendar['content'].get('body', '?')}; the bot uploaded it to the homeserver)")


async def prompts(room: str, facilitator: Member, member: Member, bot_id: str) -> None:
    print("\n== A reflective prompt for the current stage, answered in its thread")
    prompt = await exchange(facilitator, "facilitator", room, "!cop prompt", bot_id)
    reply = "I had a file like that last month: a mother, a father in treatment, and no one to call."
    show("member (thread)", reply)
    await member.say(room, reply, thread_root=prompt["event_id"])
    print("   (the bot counts the reply and who replied, as a keyed hash; it never stores the text)")
    await exchange(facilitator, "facilitator", room, "!cop stage", bot_id)


async def sectors(room: str, member: Member, colleague: Member, bot_id: str) -> None:
    print("\n== Cross-sector reach: members opt in to the sector directory")
    await exchange(colleague, "colleague", room, "!cop sector addiction mental-health #survivor.substance_use", bot_id)
    await exchange(member, "member", room, "!cop sector plumbing", bot_id)
    await exchange(member, "member", room, "!cop sector shelters child-protection", bot_id)
    await exchange(member, "member", room, "!cop directory addiction", bot_id)
    await exchange(member, "member", room, "!cop sectors", bot_id)


async def consultation(dm: str, room: str, member: Member, colleague: Member, bot_id: str) -> str:
    print("\n== An anonymous case consultation, asked in the DM")
    await exchange(member, "member (DM)", dm, "consult", bot_id)
    await exchange(member, "member (DM)", dm,
                   "The mother, Samira Haddad, told me her partner choked her last week; he drinks heavily "
                   "and the custody exchange is on Friday. Her 6-year-old is scared of him. She asked me to "
                   "call her at 514-555-0199. How can we plan for the exchange safely? #IPV #AP #addiction", bot_id)
    ack = await exchange(member, "member (DM)", dm, "send", bot_id)
    code = re.search(r"`([a-z]+(?:-[a-z]+){3})`", body_of(ack)).group(1)
    print("\n   ... a random delay, so the timing of the DM cannot point to the member ...")
    _, post = await colleague.wait_for(
        lambda r, e: r == room and e.get("sender") == bot_id and body_of(e).startswith("Consultation "), timeout=60)
    show("copbot (room)", body_of(post))
    _, mention = await colleague.wait_for(
        lambda r, e: r == room and e.get("sender") == bot_id and "asks for expertise" in body_of(e), timeout=60)
    show("copbot (thread)", body_of(mention))
    print(f"   ({mention['content']['msgtype']} in the consultation's thread, m.mentions "
          f"{mention['content']['m.mentions']}: the colleague from addiction is notified; in turn, at most 3)")
    reply = "Has anyone looked at the father's access to weapons? Supervised exchange at a neutral place may help."
    show("colleague (thread)", reply)
    await colleague.say(room, reply, thread_root=post["event_id"])
    print("   (the bot notes that the thread reached addiction and mental health, never who replied)")
    await exchange(member, "member (DM)", dm, f"replies {code}", bot_id)
    return code


async def identity_line(url: str, member: Member, bot_id: str, device_id: str) -> str:
    """What a member's client finds on the homeserver about the bot's identity."""
    def query() -> dict:
        req = urllib.request.Request(f"{url}/_matrix/client/v3/keys/query", method="POST",
                                     data=json.dumps({"device_keys": {bot_id: []}}).encode(),
                                     headers={"Authorization": f"Bearer {member.client.access_token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    keys = await asyncio.to_thread(query)
    ssk = next(iter((keys.get("self_signing_keys", {}).get(bot_id, {}).get("keys") or {"": ""})))
    device = keys.get("device_keys", {}).get(bot_id, {}).get(device_id, {})
    if bot_id in keys.get("master_keys", {}) and ssk in device.get("signatures", {}).get(bot_id, {}):
        return ("the bot published its cross-signing identity and signed its device with it: "
                "Element shows its messages as verified by their owner")
    return "the bot has no cross-signing identity yet"


async def dm_clean(dm: str, member: Member, bot_id: str, code: str) -> None:
    print("\n== The DM cleans itself (20 seconds in this demo, 10 minutes by default)")
    print("   the member's messages with the case code were deleted as soon as the bot had read them;")
    print("   the bot's answers naming the case go after the delay. The member's client reads the DM back:")
    await asyncio.sleep(25)
    await member.sync()
    resp = await member.client.room_messages(dm, start=None, limit=200)  # the homeserver's copy, decrypted
    chunk = getattr(resp, "chunk", [])
    left = [e for e in chunk if code in (getattr(e, "body", "") or "")]
    redacted = sum(1 for e in chunk if type(e).__name__ == "RedactedEvent")
    print(f"   {redacted} messages are deleted; messages still holding the code: {len(left)}")


async def checkin(dm: str, member: Member, bot_id: str) -> None:
    print("\n== After the workshop: a practice-impact check-in by DM (5 seconds after, in this demo)")
    _, invite = await member.wait_for(
        lambda r, e: r == dm and e.get("sender") == bot_id and "how has your practice changed" in body_of(e),
        timeout=180)
    show("copbot (DM)", body_of(invite))
    print(f"   (sent as {invite['content']['msgtype']}: it asks for an answer, so Element notifies; "
          "answers to commands are m.notice)")
    await exchange(member, "member (DM)", dm, "4 3 3 1 n", bot_id)
    await exchange(member, "member (DM)", dm, "I called Nadia's shelter worker before the custody hearing and "
                                              "we planned the handover together.", bot_id)
    await exchange(member, "member (DM)", dm, "ping", bot_id)
    print("   (a command in the middle of the check-in runs, and the check-in waits where it was; one left\n"
          "    unfinished is forgotten after [checkins].draft_hours, and the member is told)")
    await exchange(member, "member (DM)", dm, "#collab.risk", bot_id)
    await exchange(member, "member (DM)", dm, "yes", bot_id)
    await exchange(member, "member (DM)", dm, "myimpacts", bot_id)


async def summary(room: str, facilitator: Member, coordinator: Member, coordinator_id: str, bot_id: str) -> None:
    print("\n== A coordinator asks for the series summary (aggregates only, in a DM)")
    await exchange(facilitator, "facilitator", room, f"!cop role {coordinator_id} coordinator", bot_id)
    await exchange(coordinator, "coordinator", room, "!cop summary series chart", bot_id)
    _, message = await coordinator.wait_for(
        lambda r, e: r != room and e.get("sender") == bot_id and body_of(e).startswith("Series summary"), timeout=60)
    show("copbot (DM)", body_of(message))
    _, image = await coordinator.wait_for(
        lambda r, e: r != room and (e.get("content") or {}).get("msgtype") == "m.image", timeout=60)
    print(f"   (the chart came as an image: {body_of(image)})")


async def restart(config, room: str, member: Member, colleague: Member, bot_id: str) -> None:
    print("\n== The bot is stopped; a member asks something while it is down, then it starts again")
    mark = len(member.events)
    await member.say(room, "!cop status")
    show("member", "!cop status")
    print("   and a colleague opens a new encrypted DM with the bot and writes at once, as Element does,")
    print("   while the bot is only invited")
    new_dm = await colleague.create_room("", invite=[bot_id], direct=True, encrypted=True)
    await colleague.say(new_dm, "ping")
    show("colleague (new DM)", "ping")
    async with RunningBot(config) as bot:
        if bot.rooms_restored:
            print(f"   it restored its {len(bot.client.rooms)} rooms as of its last sync (data/store/rooms.json) "
                  "and synced from there: no full read of every room")
        else:
            print("   it found no saved rooms and read every room again")
        _, answer = await member.wait_for(lambda r, e: r == room and e.get("sender") == bot_id
                                          and "Laurentides" in body_of(e), timeout=30, since=mark)
        show("copbot 🔒" if answer.get("decrypted") else "copbot", body_of(answer))
        _, pong = await colleague.wait_for(lambda r, e: r == new_dm and e.get("sender") == bot_id
                                           and "pong" in body_of(e), timeout=30)
        show("copbot 🔒 (new DM)" if pong.get("decrypted") else "copbot (new DM)", body_of(pong))
        print("   (the bot joined and answered what was said to it while invited, once)")


async def export_files(config) -> None:
    from bot.summaries.export import export

    out = Path("demo-output").resolve()
    print(f"\n== `copbot export`: the series summary for coordinators who are not on Matrix, written to {out}")
    for path in await export(config, "laurentides-practice", out):
        print(f"   {path.name}")


async def sector_figures(config) -> None:
    from bot.clock import FrozenClock
    from bot.summaries.export import export

    print("\n== The cross-sector figures in the coordinator's summary, three hours later (workshop 1 is over,")
    print("   so its period is closed and summarised)")
    later = FrozenClock(datetime.now(ZoneInfo("UTC")) + timedelta(hours=3))
    with tempfile.TemporaryDirectory(prefix="copbot-demo-later-") as out:
        paths = await export(config, "laurentides-practice", Path(out), clock=later)
        markdown = next(p for p in paths if p.suffix == ".md").read_text()
    for line in markdown.splitlines():
        if line.startswith("|") and ("Workshop" in line.split("|")[1] or "sector" in line.lower()):
            print("   " + line)
    print("   (one consultation so far: below 5, so the figure says so; the same rows are in activity.csv,")
    print("   and the chart draws the share answered from a wanted sector beside attendance and response)")


def main() -> None:
    logs.setup("WARNING")
    logging.getLogger("devtools").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="copbot-demo-") as tmp:
        print("Starting a throwaway Synapse on 127.0.0.1 …")
        with Synapse(Path(tmp) / "synapse") as hs:
            print(f"Synapse is up at {hs.url}")
            asyncio.run(scene(hs, Path(tmp)))


if __name__ == "__main__":
    main()
