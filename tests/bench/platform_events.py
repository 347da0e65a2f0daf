#!/usr/bin/env python3
"""QQ official bot and WeCom AI bot traffic for tests/bench/run (BENCH_ONLY=platforms).

    platform_events.py setup PORT BUILDINGS PER_BUILDING
        binds BUILDINGS QQ groups and WeCom groups (the configured committees qq:QQADMIN and
        wecom:wxadmin) and registers PER_BUILDING residents in each, through /hook/qq and
        /hook/wecom, one request at a time; exits non-zero if any is not answered as expected.
        QQ's buildings are numbered after the generic bridge's (BUILDINGS+1 …), WeCom's after
        QQ's: every resident is a household of their own, who may order at once.
    platform_events.py events qq|wecom N BUILDINGS PER_BUILDING RUN FILE
        writes N signed (QQ) or encrypted (WeCom) "下单 鸡蛋 1" messages from those residents,
        one request a line: target TAB headers (name: value, joined by \\x01) TAB body. RUN keeps
        message ids unique across runs.

Signing and encryption are Python's `cryptography` (as tests/fixtures/qq/sign_event.py and
tests/fixtures/wecom/encrypt.py), so loudong verifies and decrypts every request as it would
the platforms'.
"""
import base64
import hashlib
import json
import os
import struct
import sys
import time
import urllib.request

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

QQ_SECRET = "DG5g3B4j9X2KOErG"
WECOM_TOKEN = "QDG6eK"
WECOM_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

seed = QQ_SECRET
while len(seed) < 32:
    seed *= 2
qq_key = Ed25519PrivateKey.from_private_bytes(seed[:32].encode())
aes_key = base64.b64decode(WECOM_KEY + "=")


def room_of(i):  # as tests/bench/run and messages.lua
    return (i // 4 + 1) * 100 + i % 4 + 1


def qq_request(group, member, text, msg_id):
    body = json.dumps({"op": 0, "id": "GROUP_AT_MESSAGE_CREATE:" + msg_id,
                       "t": "GROUP_AT_MESSAGE_CREATE",
                       "d": {"author": {"member_openid": member}, "content": " " + text,
                             "group_openid": group, "id": msg_id}},
                      ensure_ascii=False, separators=(",", ":")).encode()
    ts = str(int(time.time()))
    sig = qq_key.sign(ts.encode() + body).hex()
    return "/hook/qq", {"X-Signature-Ed25519": sig, "X-Signature-Timestamp": ts}, body


def wecom_request(chat, user, text, msg_id):
    message = json.dumps({"msgid": msg_id, "aibotid": "AIBOTID", "chatid": chat,
                          "chattype": "group", "from": {"userid": user}, "msgtype": "text",
                          "text": {"content": "@楼栋助手 " + text}},
                         ensure_ascii=False, separators=(",", ":")).encode()
    plain = os.urandom(16) + struct.pack(">I", len(message)) + message
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(aes_key), modes.CBC(aes_key[:16])).encryptor()
    encrypted = base64.b64encode(enc.update(plain) + enc.finalize()).decode()
    ts, nonce = str(int(time.time())), msg_id[-10:]
    sig = hashlib.sha1("".join(sorted([WECOM_TOKEN, ts, nonce, encrypted])).encode()).hexdigest()
    target = f"/hook/wecom?msg_signature={sig}&timestamp={ts}&nonce={nonce}"
    return target, {}, json.dumps({"encrypt": encrypted}).encode()


def wecom_answer(body):
    envelope = json.loads(body)
    dec = Cipher(algorithms.AES(aes_key), modes.CBC(aes_key[:16])).decryptor()
    plain = dec.update(base64.b64decode(envelope["encrypt"])) + dec.finalize()
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    return json.loads(plain[20:20 + length])["stream"]["content"]


def post(port, target, headers, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{target}", data=body,
                                     headers=dict(headers, **{"Content-Type": "application/json"}),
                                     method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, answer.read().decode()


def setup(port, buildings, per_building):
    n = 0
    for b in range(buildings + 1, 2 * buildings + 1):
        steps = [("QQADMIN", f"绑定 {b}号楼", "")]
        steps += [(f"QQR{b}X{i}", f"登记 {b}-{room_of(i)}", "") for i in range(per_building)]
        for member, text, _ in steps:
            n += 1
            status, _ = post(port, *qq_request(f"QQG{b}", member, text, f"setup-qq-{n}"))
            if status != 200:
                sys.exit(f"qq setup: {text} answered {status}")
        w = b + buildings
        for user, text in [("wxadmin", f"绑定 {w}号楼")] + \
                [(f"wx-r-{w}-{i}", f"登记 {w}-{room_of(i)}") for i in range(per_building)]:
            n += 1
            status, body = post(port, *wecom_request(f"wrk{w}", user, text, f"setup-wx-{n}"))
            reply = wecom_answer(body) if body else ""
            if status != 200 or ("登记" in text and "已登记" not in reply):
                sys.exit(f"wecom setup: {text} answered {status} {reply}")


def events(platform, count, buildings, per_building, run, path):
    make = qq_request if platform == "qq" else wecom_request
    with open(path, "w", encoding="utf-8") as out:
        for k in range(count):
            b = k % buildings + 1 + (buildings if platform == "qq" else 2 * buildings)
            i = (k // buildings) % per_building
            if platform == "qq":
                target, headers, body = make(f"QQG{b}", f"QQR{b}X{i}", "下单 鸡蛋 1",
                                             f"bench-{run}-{k}")
            else:
                target, headers, body = make(f"wrk{b}", f"wx-r-{b}-{i}", "下单 鸡蛋 1",
                                             f"bench-{run}-{k}")
            head = "\x01".join(f"{name}: {value}" for name, value in headers.items())
            out.write(f"{target}\t{head}\t{body.decode()}\n")


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        events(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6],
               sys.argv[7])
