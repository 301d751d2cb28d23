#!/usr/bin/env python3
"""Writes the seed corpora in tests/fuzz/corpus/<target>/ (small files).

The structured targets (fuzz_plex_errors, fuzz_retry_after, fuzz_capi) read
their input with fuzz_input.h; the helpers below produce that layout. Re-run
after changing a target's input layout. Regression inputs (regress-*) are
not written here: they are kept as found.
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# plex-auth-api.md §7, the sign-in 201 body (one copy, shared with the fake
# and the unit tests).
with open(os.path.join(HERE, "..", "fixtures", "sign_in_201.json"), encoding="utf-8") as f:
    ACCOUNT = json.load(f)


def compact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False).encode()


def account_bodies():
    user = {k: v for k, v in ACCOUNT.items() if k not in ("pastSubscriptions", "trials")}
    b = dict(ACCOUNT, id=475829302, uuid="a1b2c3d4e5f67890", username="user12345", country="IT",
             email="user12345@example.com", authToken="gHjKlMnOpQrStUvWxYz", twoFactorEnabled=True,
             adsConsent=True, adsConsentSetAt="2019-08-24T14:15:22Z", adsConsentReminderAt=1721154902,
             subscriptions=[{"active": True, "subscribedAt": "2019-08-24 14:15:22", "status": "Active",
                             "paymentService": "braintree", "plan": "lifetime", "features": ["sync"]}],
             pastSubscriptions=[dict(ACCOUNT["pastSubscriptions"][0], billing={
                 "paymentMethodId": 7, "internalPaymentMethod": {"type": "card", "last4": "4242", "x": [1.5, None]}})],
             trials=[{}], entitlements=["all"], roles=["plexpass"])
    return {
        "signin_201.json": compact(ACCOUNT),
        "user_200.json": compact(user),
        "account_b.json": compact(b),
        "iso_offset.json": compact(dict(user, adsConsentSetAt="2019-08-24T14:15:22.5+02:00")),
        "minimal.json": b'{"id":1}',
        "nulls.json": b'{"id":null,"profile":null,"subscription":null,"services":null,"roles":null}',
        "wrong_type.json": b'{"id":"13692262","uuid":1}',
        "unicode.json": compact({"username": "J\u00fcrgen \u6f22\u5b57 \U0001F600", "title": "a\"b\\c\u0001",
                                 "locale": "\u2028"}),
        "empty_object.json": b"{}",
        "array.json": b"[]",
        "truncated.json": compact(ACCOUNT)[:300],
    }


TRANSIENT = {
    "ok.json": b'{"MediaContainer":{"size":0,"token":"transient-0123456789abcdef0123456789abcdef"}}',
    "no_token.json": b'{"MediaContainer":{"size":0}}',
    "null_token.json": b'{"MediaContainer":{"token":null}}',
    "empty.txt": b"",
    "wrong_type.json": b'{"MediaContainer":{"token":42}}',
    "container_array.json": b'{"MediaContainer":[]}',
}

DEVICE = {"name": "Living Room", "clientIdentifier": "3381b62b9ab74e37", "accessToken": "srcAccessTok0123456789",
          "Connection": [{"protocol": "https", "address": "10.0.0.5", "port": 32400, "uri": "https://10.0.0.5:32400",
                          "local": True, "relay": False},
                         {"protocol": "https", "address": "203.0.113.7", "port": 8443,
                          "uri": "https://203-0-113-7.3381b62b9ab74e37.plex.direct:8443", "local": False,
                          "relay": True}]}
SOURCE = {
    "ok.json": compact({"MediaContainer": {"size": 1, "Device": DEVICE}}),
    "device_array.json": compact({"MediaContainer": {"size": 1, "Device": [DEVICE]}}),
    "connection_object.json": compact({"MediaContainer": {"Device": dict(DEVICE, Connection=DEVICE["Connection"][0])}}),
    "no_device.json": b'{"MediaContainer":{"size":0}}',
    "empty.txt": b"",
    "wrong_port.json": compact({"MediaContainer": {"Device": dict(DEVICE, Connection=[{"port": "x"}])}}),
}

ERROR_BODIES = {
    401: b'{"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]}',
    400: b'{"errors":[{"code":1000,"message":"X-Plex-Client-Identifier is missing","status":400}]}',
    422: b'{"errors":[{"code":1001,"message":"Invalid token","status":422}]}',
}


def response(status, op, content_type, retry_after, body):
    s = lambda b: bytes([len(b)]) + b
    return struct.pack(">H", status - 100) + bytes([op]) + s(content_type) + s(retry_after) + body


JSON_CT = b"application/json; charset=utf-8"
PLEX_ERRORS = {
    "401.bin": response(401, 2, JSON_CT, b"", ERROR_BODIES[401]),
    "400.bin": response(400, 3, JSON_CT, b"", ERROR_BODIES[400]),
    "422.bin": response(422, 2, JSON_CT, b"", ERROR_BODIES[422]),
    "2fa.bin": response(401, 3, JSON_CT, b"",
                        b'{"errors":[{"code":1029,"message":"Please enter the verification code","status":401}]}'),
    "throttled.bin": response(429, 3, JSON_CT, b"", b'{"errors":[{"code":1031,"message":"locked","status":429}]}'),
    "429_seconds.bin": response(429, 0, JSON_CT, b"120", b""),
    "503_date.bin": response(503, 1, b"text/html", b"Wed, 21 Oct 2015 07:28:00 GMT", b"<html>busy</html>"),
    "302.bin": response(302, 2, b"", b"", b""),
    "200_html.bin": response(200, 2, b"text/html", b"", b"<html>"),
    "201_json.bin": response(201, 3, JSON_CT, b"", compact(ACCOUNT)[:64]),
    "404_many.bin": response(404, 1, JSON_CT, b"",
                             b'{"errors":[{"code":1002,"message":"Source not found","status":404},{},7,{"code":"x"}]}'),
}

NOW = struct.pack(">Q", 1700000000)
RETRY_AFTER = {name: NOW + text for name, text in {
    "seconds.txt": b"120",
    "zero.txt": b"0",
    "spaces.txt": b" \t5 ",
    "huge.txt": b"99999999999999999999999",
    "negative.txt": b"-1",
    "http_date.txt": b"Wed, 21 Oct 2015 07:28:00 GMT",
    "http_date_future.txt": b"Sun, 06 Nov 2039 08:49:37 GMT",
    "rfc850.txt": b"Sunday, 06-Nov-94 08:49:37 GMT",
    "asctime.txt": b"Sun Nov  6 08:49:37 1994",
    "iso_z.txt": b"2019-08-24T14:15:22Z",
    "iso_offset.txt": b"2019-08-24T14:15:22.5+02:00",
    "iso_space.txt": b"2019-08-24 14:15:22-05:30",
    "garbage.txt": b"soon",
}.items()}


# ------------------------------------------------------------------ fuzz_capi scripts
def text(value, null=False):
    b = value.encode() if isinstance(value, str) else value
    return bytes([0 if null else 1, len(b)]) + b


def cfg_step(which, *payload):
    return bytes([which]) + b"".join(payload)


def capi(steps, op, args=b"", fake=True, v2=False, retry=True, cancelled=False, url=text("", null=True)):
    out = struct.pack(">I", 32 + 1)  # plexauth_status_name(1)
    out += bytes([len(steps)]) + b"".join(steps)
    out += url + struct.pack(">Q", 1000)
    out += bytes([1 if fake else 0, op])
    if not fake:
        out += bytes([1 if v2 else 0])
    out += bytes([1 if retry else 0, 0 if cancelled else 1])
    return out + args


def sign_in(*fields):
    return bytes([len(fields)]) + b"".join(bytes([w]) + text(v) for w, v in fields)


IDENTITY = [cfg_step(1, text("fuzz-client-3381b62b")), cfg_step(2, text("plexauth fuzz")),
            cfg_step(3, text("0.1.0")), cfg_step(4, text("Linux")), cfg_step(5, text("CI"))]
TOKEN_A = cfg_step(0, text("CxoUzBTSV5hsxjTpFKaf"))
LOG = cfg_step(17, bytes([5, 1]))  # PLEXAUTH_LOG_DEBUG, a sink
CAPI = {
    "transient.bin": capi(IDENTITY + [TOKEN_A, LOG], 0, text("delegation") + text("all")),
    "transient_defaults.bin": capi([TOKEN_A], 0, text("", True) + text("", True)),
    "transient_bad_type.bin": capi([TOKEN_A], 0, text("other") + text("all")),
    "source.bin": capi(IDENTITY + [TOKEN_A], 1, text("server://3381b62b9ab74e37")),
    "source_unknown.bin": capi([TOKEN_A, LOG], 1, text("server://nope")),
    "token_details.bin": capi(IDENTITY + [TOKEN_A, LOG], 2),
    "token_revoked.bin": capi([cfg_step(0, text("revokedTokenXXXXXXXX"))], 2),
    "token_provider.bin": capi([cfg_step(11, text("gHjKlMnOpQrStUvWxYz"), b"\x01")], 2),
    "no_token.bin": capi([], 2),
    "sign_in_a.bin": capi(IDENTITY + [LOG], 3, sign_in((0, "username@email.com"), (1, "password123"), (2, "x"))),
    "sign_in_b_code.bin": capi(IDENTITY, 3, sign_in((0, "user12345"), (1, "hunter2-secret"), (3, "123456"))),
    "sign_in_b_no_code.bin": capi(IDENTITY, 3, sign_in((0, "user12345"), (1, "hunter2-secret"))),
    "sign_in_no_client_id.bin": capi([], 3, sign_in((0, "Username"), (1, "password123"))),
    "sign_in_overrides.bin": capi([], 3, sign_in((0, "Username"), (1, "password123"), (4, "per-request-id"),
                                                (5, "Plex for Roku"), (6, "2.4.1"), (7, "Roku"), (8, "Roku 3"))),
    "closed_port.bin": capi([TOKEN_A], 2, fake=False, v2=True),
    "closed_port_no_retry.bin": capi([TOKEN_A], 0, text("", True) + text("", True), fake=False, retry=False),
    "cancelled.bin": capi([TOKEN_A], 2, cancelled=True),
    "settings.bin": capi([cfg_step(6, text("http://127.0.0.1:1/")), cfg_step(7, text("http")),
                          cfg_step(8, text("::1")), cfg_step(12, struct.pack(">I", 32400)),
                          cfg_step(9, text("https://plex.tv/api/v2")), cfg_step(13, struct.pack(">Q", 500)),
                          cfg_step(14, struct.pack(">Q", 0)), cfg_step(15, struct.pack(">Q", 1 << 20)),
                          cfg_step(16, struct.pack(">I", 0)), cfg_step(10, text("ca.pem")),
                          cfg_step(18, bytes([3, 0]) + struct.pack(">Q", 10) + bytes([2]) + struct.pack(">d", 2.0)
                                   + bytes([4]) + struct.pack(">I", 3) + b"\x01"),
                          TOKEN_A], 2),
    "bad_values.bin": capi([cfg_step(1, text("a\r\nX-Injected: 1")), cfg_step(6, text("ftp://x")),
                            cfg_step(0, text(b"\xff\xfe")), cfg_step(12, struct.pack(">I", 70000)), TOKEN_A],
                           1, text("server://3381b62b9ab74e37\n")),
}


# ------------------------------------------------------------------ login journey (issue 10)
PIN = {"id": 1000001, "code": "SEED", "product": "plexauth", "trusted": False, "qr": "https://plex.tv/api/v2/pins/qr/SEED",
       "clientIdentifier": "3381b62b-9ab7-4e37-827b-203e9809eb58", "location": {"code": "IT", "coordinates": "45.4, 9.1",
                                                                              "subdivisions": ["Lombardy"]},
       "expiresIn": 900, "createdAt": "2026-10-01T10:00:00Z", "expiresAt": "2026-10-01T10:15:00Z",
       "authToken": None, "newRegistration": None}
PINS = {
    "created.json": compact(PIN),
    "approved.json": compact(dict(PIN, authToken="CxoUzBTSV5hsxjTpFKaf")),
    "strong.json": compact(dict(PIN, code="a" * 25, expiresIn=1800, createdAt=1759312800, expiresAt=1759314600)),
    "no_code.json": b'{"id":1}',
    "errors_1020.json": b'{"errors":[{"code":1020,"message":"Code not found or expired"}]}',
    "location_double.json": compact(dict(PIN, location={"lat": 45.46, "lon": 9.19})),
}
PONGS = {"true.json": b'{"pong":true}', "false.json": b'{"pong":false}', "null.json": b'{"pong":null}',
         "string.json": b'{"pong":"true"}', "empty.json": b"{}", "array.json": b"[]"}
HOME_USER = {"id": 20000001, "uuid": "homeuser0000uuid", "title": "Kid", "username": "", "email": "",
             "thumb": "https://plex.tv/users/x/avatar", "admin": False, "guest": False, "restricted": True,
             "restrictionProfile": "little_kid", "hasPassword": False, "protected": True}
HOME_JSON = {
    "home.json": compact({"MediaContainer": {"friendlyName": "myPlex", "identifier": "com.plexapp.plugins.myplex",
                                             "machineIdentifier": "3381b62b9ab74e37", "totalSize": 2, "size": 2,
                                             "User": [dict(HOME_USER, id=13692262, uuid="dae343c1f45beb4f",
                                                           admin=True, restricted=False, protected=False),
                                                      HOME_USER]}}),
    "empty.json": b'{"MediaContainer":{"size":0}}',
    "user_object.json": compact({"MediaContainer": {"User": HOME_USER}}),
    "strings.json": b'{"MediaContainer":{"size":"1","User":[{"id":"1","uuid":"u","protected":"1"}]}}',
    "no_container.json": b"{}",
}
HOME_XML = {
    "home.xml": (b'<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer friendlyName="myPlex" '
                 b'identifier="com.plexapp.plugins.myplex" machineIdentifier="3381b62b9ab74e37" totalSize="2" size="2">'
                 b'\n  <User id="13692262" uuid="dae343c1f45beb4f" admin="1" guest="0" restricted="0" '
                 b'restrictionProfile="" hasPassword="1" protected="0" title="Username" username="Username" '
                 b'email="username@email.com" thumb="https://plex.tv/users/x/avatar?c=1&amp;d=2">\n'
                 b'    <Profile autoSelectAudio="1"/>\n  </User>\n  <User id="20000001" uuid="homeuser0000uuid" admin="0" '
                 b'guest="0" restricted="1" restrictionProfile="little_kid" hasPassword="0" protected="1" title="Kid &#x1F600;" '
                 b'username="" email="" thumb=""/>\n</MediaContainer>\n'),
    "empty.xml": b'<MediaContainer size="0"/>',
    "true_false.xml": b'<MediaContainer><User id="1" uuid="u" protected="true" admin="false"/></MediaContainer>',
    "doctype.xml": b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><MediaContainer size="&lol2;"/>',
    "cdata.xml": b'<MediaContainer><![CDATA[x]]><!-- c --><?pi x?><User id="-5" uuid="&lt;&amp;&gt;"/></MediaContainer>',
    "ns.xml": b'<a:MediaContainer xmlns:a="urn:x"><a:User id="1"/></a:MediaContainer>',
    "latin1.xml": b'<?xml version="1.0" encoding="ISO-8859-1"?><MediaContainer title="\xe9"/>',
}
CLIENT_IDS = {"uuid.txt": b"3381b62b-9ab7-4e37-827b-203e9809eb58\n", "no_newline.txt": b"abc",
              "two_newlines.txt": b"abc\n\n", "space.txt": b"a b\n", "empty.txt": b"", "crlf.txt": b"abc\r\n",
              "long.txt": b"x" * 129, "utf8.txt": "\u00e9t\u00e9".encode()}


def login_url(client_id, code, product, forward):
    s = lambda b: bytes([len(b)]) + b
    return s(client_id) + s(code) + s(product) + forward


LOGIN_URLS = {
    "basic.bin": login_url(b"3381b62b-9ab7-4e37-827b-203e9809eb58", b"SEED", b"plexauth", b""),
    "forward.bin": login_url(b"id", b"a" * 25, b"My App & Co", b"https://example.invalid/done?x=1&y=2"),
    "bad_forward.bin": login_url(b"id", b"code", b"", b"javascript:alert(1)"),
    "fragment.bin": login_url(b"id", b"code", b"p", b"http://127.0.0.1/#frag"),
    "control.bin": login_url(b"id\r\n", b"code", b"p", b""),
    "unicode.bin": login_url("\u6f22\u5b57".encode(), b"c%26d=e", "\U0001F600".encode(), b""),
    "empty.bin": b"",
}


RESOURCE = {"name": "Box", "product": "Plex Media Server", "productVersion": "1.25.5.5492-12f6b8c83",
            "platform": "Linux", "clientIdentifier": "client_id2", "provides": "server", "ownerId": None,
            "sourceTitle": None, "publicAddress": "2.2.2.2", "accessToken": "auth_token", "owned": True,
            "home": False, "synced": False, "relay": True, "presence": True, "httpsRequired": False,
            "publicAddressMatches": False, "dnsRebindingProtection": False, "natLoopbackSupported": False,
            "createdAt": "2021-04-12T18:21:12Z", "lastSeenAt": 1721154902,
            "connections": [
                {"protocol": "https", "address": "172.18.0.3", "port": 32400,
                 "uri": "https://172-18-0-3.client-id2.plex.direct:32400", "local": True, "relay": False, "IPv6": False},
                {"protocol": "https", "address": "example.org", "port": 443, "uri": "https://example.org:443",
                 "local": False, "relay": False, "IPv6": False},
                {"protocol": "http", "address": "fd00::5", "port": 32400, "uri": "http://[fd00::5]:32400",
                 "local": True, "relay": False, "IPv6": True},
                {"protocol": "https", "address": "178.3.2.1", "port": 8443,
                 "uri": "https://178-3-2-1.client-id2.plex.direct:8443", "local": False, "relay": True,
                 "IPv6": False}]}
RESOURCES = {
    "box.json": compact([RESOURCE]),
    "shared.json": compact([dict(RESOURCE, owned=False, ownerId=7, accessToken=None, sourceTitle="friend"),
                            {"name": "TV", "provides": "client,player", "connections": []}]),
    "hostile.json": compact([{"clientIdentifier": "x", "owned": True, "connections": [
        {"uri": "ftp://1.2.3.4/", "address": "1.2.3.4", "port": 0},
        {"uri": "https://u:p@1.2.3.4:1", "address": "a b", "port": 70000},
        {"uri": "file:///etc/passwd", "address": "1.2.3.4", "port": 80}]}]),
    "empty.json": b"[]",
    "object.json": b'{"devices":[]}',
}
IDENTITY = {
    "json.json": b'{"MediaContainer":{"size":0,"claimed":true,"machineIdentifier":"abc","version":"1.41.3"}}',
    "xml.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="0" claimed="1" '
               b'machineIdentifier="abc" version="1.41.3"/>',
    "empty.json": b'{"MediaContainer":{}}',
}


def write(target, files):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def main():
    accounts = account_bodies()
    write("fuzz_account", accounts)
    write("fuzz_transient_token", TRANSIENT)
    write("fuzz_source_info", SOURCE)
    write("fuzz_plex_errors", PLEX_ERRORS)
    write("fuzz_retry_after", RETRY_AFTER)
    json_seeds = {"account.json": accounts["signin_201.json"], "unicode.json": accounts["unicode.json"],
                  "source.json": SOURCE["ok.json"], "errors.json": ERROR_BODIES[401],
                  "numbers.json": b'[0,-0,1e308,-1.5e-308,18446744073709551615,-9223372036854775808,0.1,1E2]',
                  "escapes.json": b'"\\u0000\\ud83d\\ude00\\n\\"\\/"',
                  "deep.json": b"[" * 64 + b"]" * 64, "too_deep.json": b"[" * 65 + b"]" * 65,
                  "literals.json": b'{"a":true,"b":false,"c":null,"d":{}}'}
    write("fuzz_json", json_seeds)
    write("fuzz_capi", CAPI)
    write("fuzz_pin", PINS)
    write("fuzz_pong", PONGS)
    write("fuzz_home_users", HOME_JSON)
    write("fuzz_home_users_xml", HOME_XML)
    write("fuzz_client_id", CLIENT_IDS)
    write("fuzz_login_url", LOGIN_URLS)
    write("fuzz_resources", RESOURCES)
    write("fuzz_identity", IDENTITY)


if __name__ == "__main__":
    main()
