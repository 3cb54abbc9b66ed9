// One simulated Element user: matrix-js-sdk with Rust crypto, driven by JSON lines.
//
// Usage: node driver.mjs   (then one JSON request per line on stdin)
//   first request: {"id": 1, "op": "start", "base_url", "user_id", "access_token", "device_id", "password"}
//   every request: {"id": N, "op": "...", ...}  ->  one line {"id": N, "ok": true, "result": ...}
//                                                  or {"id": N, "ok": false, "error": "..."}
// stdout carries only those lines; everything else (the SDK's own logging) goes to stderr,
// at "warn" unless ELEMENT_DRIVER_LOG names another level. Message bodies are never logged here.
import readline from "node:readline";

// The SDK logs through console (loglevel binds console's methods when each logger is made, and
// sets every one of them to DEBUG itself); stdout is the protocol channel, so console goes to
// stderr, and what is below ELEMENT_DRIVER_LOG (default warn) is dropped here.
const RANK = { trace: 0, debug: 1, log: 1, info: 2, warn: 3, error: 4 };
const threshold = RANK[process.env.ELEMENT_DRIVER_LOG || "warn"] ?? RANK.warn;
for (const name of Object.keys(RANK)) {
    console[name] = RANK[name] < threshold
        ? () => {}
        : (...args) => process.stderr.write(args.map(String).join(" ") + "\n");
}

const sdk = await import("matrix-js-sdk");
const cryptoApi = await import("matrix-js-sdk/lib/crypto-api/index.js");

const state = {
    client: null,
    password: null,
    events: [], // every timeline event seen, in arrival order (MatrixEvent objects)
    secretStorageKey: null, // [keyId, privateKey] cached as Element does after creating it
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, timeoutMs, probe) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}

const ops = {
    async start(req) {
        state.password = req.password;
        const client = sdk.createClient({
            baseUrl: req.base_url,
            userId: req.user_id,
            accessToken: req.access_token,
            deviceId: req.device_id,
            cryptoCallbacks: {
                getSecretStorageKey: async ({ keys }) =>
                    state.secretStorageKey && state.secretStorageKey[0] in keys ? state.secretStorageKey : null,
                cacheSecretStorageKey: (keyId, _info, key) => {
                    state.secretStorageKey = [keyId, key];
                },
            },
        });
        state.client = client;
        await client.initRustCrypto({ useIndexedDB: false });
        client.on(sdk.RoomEvent.Timeline, (event, room, toStartOfTimeline) => {
            if (!toStartOfTimeline) state.events.push(event);
        });
        // Element accepts invitations by a click; these users accept every one.
        client.on(sdk.RoomEvent.MyMembership, (room, membership) => {
            if (membership === "invite") {
                client.joinRoom(room.roomId).catch((e) => console.warn("join failed:", e.message));
            }
        });
        const prepared = new Promise((resolve) => {
            const onSync = (syncState) => {
                if (syncState === "PREPARED" || syncState === "SYNCING") {
                    client.off(sdk.ClientEvent.Sync, onSync);
                    resolve();
                }
            };
            client.on(sdk.ClientEvent.Sync, onSync);
        });
        await client.startClient({ initialSyncLimit: 20 });
        await prepared;
        return { crypto: client.getCrypto().getVersion() };
    },

    // What Element does at first login: cross-signing keys (the upload asks for the
    // account password), then secret storage holding them, with a key backup.
    async bootstrap_cross_signing(req) {
        const crypto = state.client.getCrypto();
        const user = state.client.getUserId();
        await crypto.bootstrapCrossSigning({
            authUploadDeviceSigningKeys: async (makeRequest) => {
                try {
                    return await makeRequest(null);
                } catch (e) {
                    const session = e?.data?.session;
                    if (!session) throw e;
                    return await makeRequest({
                        type: "m.login.password",
                        identifier: { type: "m.id.user", user },
                        password: state.password,
                        session,
                    });
                }
            },
        });
        if (req.secret_storage !== false) {
            await crypto.bootstrapSecretStorage({
                createSecretStorageKey: () => crypto.createRecoveryKeyFromPassphrase(),
                setupNewKeyBackup: true,
            });
        }
        const own = await crypto.getDeviceVerificationStatus(user, state.client.getDeviceId());
        return { ready: await crypto.isCrossSigningReady(), own_device_signed: own?.signedByOwner ?? false };
    },

    async create_room(req) {
        const initial_state = [];
        if (req.encrypted) {
            initial_state.push({ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } });
        }
        const opts = { name: req.name || undefined, invite: req.invite || [], initial_state };
        if (req.direct) {
            opts.is_direct = true;
            opts.preset = "trusted_private_chat"; // as Element's "Start chat"
        } else {
            opts.preset = "private_chat";
        }
        if (req.power) {
            opts.power_level_content_override = { users: { [state.client.getUserId()]: 100, ...req.power } };
        }
        const { room_id } = await state.client.createRoom(opts);
        await until("the new room", 15000, () => state.client.getRoom(room_id));
        return { room_id };
    },

    async wait_member(req) {
        const wanted = [].concat(req.membership || "join"); // one membership or a list of them
        await until(`${req.user}'s membership ${wanted}`, req.timeout_ms ?? 15000, () =>
            wanted.includes(state.client.getRoom(req.room)?.getMember(req.user)?.membership),
        );
        return {};
    },

    async send(req) {
        const content = { msgtype: req.msgtype || "m.text", body: req.body };
        if (req.thread_root) {
            content["m.relates_to"] = {
                rel_type: "m.thread",
                event_id: req.thread_root,
                is_falling_back: true,
                "m.in_reply_to": { event_id: req.thread_root },
            };
        }
        const { event_id } = await state.client.sendEvent(req.room, "m.room.message", content);
        return { event_id };
    },

    async react(req) {
        const content = { "m.relates_to": { rel_type: "m.annotation", event_id: req.event_id, key: req.key } };
        const { event_id } = await state.client.sendEvent(req.room, "m.reaction", content);
        return { event_id };
    },

    async redact(req) {
        const { event_id } = await state.client.redactEvent(req.room, req.event_id);
        return { event_id };
    },

    async set_power(req) {
        await state.client.setPowerLevel(req.room, req.user, req.level);
        await until("the new power level", 15000, () =>
            state.client.getRoom(req.room)?.getMember(req.user)?.powerLevel === req.level,
        );
        return {};
    },

    // The first event after index `since` (in arrival order) matching every given field.
    async wait_event(req) {
        const match = async () => {
            for (let i = req.since ?? 0; i < state.events.length; i++) {
                const event = state.events[i];
                if (req.room && event.getRoomId() !== req.room) continue;
                if (req.sender && event.getSender() !== req.sender) continue;
                if (event.isEncrypted() && !event.getClearContent()) {
                    await state.client.decryptEventIfNeeded(event);
                    if (!event.getClearContent() && !event.isDecryptionFailure()) continue; // still decrypting
                }
                if (req.type && event.getType() !== req.type) continue;
                const content = event.getContent();
                if (req.msgtype && content.msgtype !== req.msgtype) continue;
                if (req.body_contains && !(content.body || "").includes(req.body_contains)) continue;
                if (req.body_startswith && !(content.body || "").startsWith(req.body_startswith)) continue;
                if (req.rel_type && content["m.relates_to"]?.rel_type !== req.rel_type) continue;
                if (req.relates_to && content["m.relates_to"]?.event_id !== req.relates_to) continue;
                if (req.after && !afterEvent(i, req.after)) continue;
                return { index: i, ...(await describe(event)) };
            }
            return null;
        };
        return await until("a matching event", req.timeout_ms ?? 15000, match);
    },

    // Every m.room.message event from `sender` seen so far, described (for the HTML checks).
    async messages_from(req) {
        const out = [];
        for (const event of state.events) {
            if (event.getSender() !== req.sender) continue;
            if (event.isEncrypted()) await state.client.decryptEventIfNeeded(event);
            if (event.getType() === "m.room.message") out.push(await describe(event));
        }
        return out;
    },

    async event_count() {
        return { count: state.events.length };
    },

    async device_status(req) {
        const crypto = state.client.getCrypto();
        await crypto.getUserDeviceInfo([req.user], true); // fetch the keys, as opening their profile does
        const status = await crypto.getDeviceVerificationStatus(req.user, req.device);
        if (!status) return null;
        return {
            signed_by_owner: status.signedByOwner,
            cross_signing_verified: status.crossSigningVerified,
            locally_verified: status.localVerified,
            verified: status.isVerified(),
        };
    },

    // Element's Settings > Security & Privacy > "Exclude insecure devices when sending or
    // receiving messages" (on: OnlySignedDevicesIsolationMode; off: AllDevicesIsolationMode(false)).
    async exclude_insecure_devices(req) {
        const crypto = state.client.getCrypto();
        crypto.setDeviceIsolationMode(
            req.on ? new cryptoApi.OnlySignedDevicesIsolationMode() : new cryptoApi.AllDevicesIsolationMode(false),
        );
        return {};
    },

    // An attachment as Element fetches it: authenticated media; an encrypted one (content.file)
    // is checked against its SHA-256 and decrypted with AES-CTR, as matrix-encrypt-attachment does.
    async download(req) {
        const file = req.file;
        const mxc = file ? file.url : req.mxc;
        const url = state.client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
        const resp = await fetch(url, { headers: { Authorization: `Bearer ${state.client.getAccessToken()}` } });
        if (!resp.ok) throw new Error(`download failed: HTTP ${resp.status}`);
        let data = new Uint8Array(await resp.arrayBuffer());
        if (file) {
            const subtle = globalThis.crypto.subtle;
            const digest = Buffer.from(await subtle.digest("SHA-256", data)).toString("base64").replace(/=+$/, "");
            if (digest !== file.hashes.sha256.replace(/=+$/, "")) throw new Error("attachment hash mismatch");
            const key = await subtle.importKey("jwk", file.key, { name: "AES-CTR" }, false, ["decrypt"]);
            const iv = Buffer.from(file.iv, "base64");
            data = new Uint8Array(await subtle.decrypt({ name: "AES-CTR", counter: iv, length: 64 }, key, data));
        }
        return { size: data.byteLength, text: req.as_text ? Buffer.from(data).toString("utf8") : null };
    },

    async stop() {
        state.client.stopClient();
        return {};
    },
};

function afterEvent(index, eventId) {
    const at = state.events.findIndex((e) => e.getId() === eventId);
    return at >= 0 && index > at;
}

// What an Element user would see of an event: its clear content, whether it came encrypted and
// decrypted, the shield next to it, and what the push rules say (notify, highlight).
async function describe(event) {
    const out = {
        event_id: event.getId(),
        room_id: event.getRoomId(),
        sender: event.getSender(),
        type: event.getType(),
        content: event.getContent(),
        encrypted: event.isEncrypted(),
        decryption_failure: event.isDecryptionFailure(),
        shield: null,
    };
    if (event.isEncrypted() && !event.isDecryptionFailure()) {
        const info = await state.client.getCrypto().getEncryptionInfoForEvent(event);
        if (info) {
            out.shield = {
                colour: cryptoApi.EventShieldColour[info.shieldColour],
                reason: info.shieldReason === null ? null : cryptoApi.EventShieldReason[info.shieldReason],
            };
        }
    }
    const actions = state.client.getPushActionsForEvent(event, true);
    out.push = { notify: Boolean(actions?.notify), highlight: Boolean(actions?.tweaks?.highlight) };
    return out;
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
    if (!line.trim()) continue;
    let req;
    try {
        req = JSON.parse(line);
    } catch {
        process.stdout.write(JSON.stringify({ id: null, ok: false, error: "not JSON" }) + "\n");
        continue;
    }
    // Requests run concurrently (a wait must not block a send); each answers once, by id.
    (async () => {
        try {
            const op = ops[req.op];
            if (!op) throw new Error(`unknown op ${req.op}`);
            const result = await op(req);
            process.stdout.write(JSON.stringify({ id: req.id, ok: true, result: result ?? null }) + "\n");
        } catch (e) {
            process.stdout.write(JSON.stringify({ id: req.id, ok: false, error: String(e?.message || e) }) + "\n");
        }
        if (req.op === "stop") process.exit(0);
    })();
}
state.client?.stopClient();
process.exit(0);
