"""The plexauth API, described once.

Every operation, model, field, status code and client identity setting of the
library is a line here. `python3 codegen/generate.py` turns this file into the
core's field and operation tables, the header's generated sections, the C
entry points and getters, the three bindings' declarations and models, the
bad-input sweep table and the every-field fixture (docs/design.md: "add an
endpoint", "add a field", "add a status"). CI fails when a generated file
differs from a fresh run (`generate.py --check`).

Names are derived from the wire name (schema.py: authToken -> C auth_token,
Go AuthToken); pass c=/py=/rust=/go= only where a name differs.
"""

from schema import (  # noqa: F401 - the vocabulary
    Bool,
    Count,
    IdentitySetting,
    Inline,
    Int,
    Json,
    List,
    Model,
    Obj,
    Operation,
    Param,
    PyEnum,
    Status,
    Str,
    StrList,
    Time,
)

# --------------------------------------------------------------------- statuses
# Appended only; never renumbered or reused.

STATUSES = [
    Status(0, "ok", "Success."),
    Status(1, "invalid_argument", "A caller-supplied argument was NULL where it must not be, not valid UTF-8, held a "
           "control character (CR, LF, NUL...), was absurdly long, or was out of range. Nothing was sent."),
    Status(2, "bad_request", "HTTP 400 with Plex's errors[] (e.g. code 1000 \"X-Plex-Client-Identifier is "
           "missing\")."),
    Status(3, "unauthorized", "HTTP 401 (e.g. code 1001), or plex.tv's 422 \"invalid token\": the token or the "
           "credentials are not accepted."),
    Status(4, "two_factor_required", "HTTP 401 carrying Plex code 1029: sign-in needs a 2FA verification code (or "
           "the one given was wrong). Ask the user and sign in again with it."),
    Status(5, "rate_limited", "HTTP 429. plexauth_error_retry_after_ms() gives Retry-After if sent."),
    Status(6, "http_error", "Any other HTTP 3XX/4XX/5XX. The error keeps the status and a truncated, redacted "
           "body.", c="E_HTTP", core="Http"),
    Status(7, "transport", "DNS, connect, send/receive failure, connection reset."),
    Status(8, "timeout", "The connect timeout or the per-attempt timeout expired."),
    Status(9, "cancelled", "The call's plexauth_cancel was triggered."),
    Status(10, "malformed_response", "A success status with the wrong content type or an unexpected status code, a "
           "body that is not JSON, too deeply nested, or a required field missing or of the wrong type (the message "
           "names the field)."),
    Status(11, "out_of_memory", "Memory could not be allocated."),
    Status(12, "tls", "TLS handshake or certificate verification failed."),
    Status(13, "response_too_large", "The response body exceeded the configured cap "
           "(plexauth_config_set_max_response_bytes)."),
    Status(14, "sign_in_throttled", "A sign-in was refused with Plex code 1031: plex.tv has locked sign-ins from this "
           "IP after repeated failures. Never retried automatically."),
    Status(15, "callback_error", "The token provider callback reported a failure.", c="E_CALLBACK",
           core="Callback"),
    Status(16, "internal", "A bug in plexauth. Please report it."),
    Status(17, "pin_expired", "The PIN is unknown to plex.tv or has expired (HTTP 404 with Plex code 1020). Create "
           "a new one."),
    Status(18, "pin_required", "HTTP 403 with Plex code 1041: switching to this Plex Home user needs its PIN (or "
           "the one given was wrong)."),
    Status(19, "unreachable", "Connect: no connection of the server answered as that server before the deadline (or "
           "it has none to try). The message lists each candidate with its outcome."),
    Status(20, "token_expired", "HTTP 498: plex.tv says the JWT expired (refresh it with the device key), or a JWT "
           "is past its exp."),
    Status(21, "jwt_issuer_mismatch", "Plex code 1097: the device JWT's iss is not the X-Plex-Client-Identifier "
           "sent with it."),
    Status(22, "jwt_invalid", "A JWT failed verification (plexauth_client_jwt_verify): the message names the check "
           "(signature, unknown key, issuer, audience, expired, thumbprint...)."),
]

# ------------------------------------------------------------ client identity
# Client-wide setters plexauth_config_set_<c>, per-call overrides
# plexauth_call_options_set_<c>; each header is sent only when set.

IDENTITY = [
    IdentitySetting("client_id", "X-Plex-Client-Identifier", "Use one stable value per installation."),
    IdentitySetting("client_name", "X-Plex-Product", "The product (application) name."),
    IdentitySetting("client_version", "X-Plex-Version", "The product's version."),
    IdentitySetting("platform", "X-Plex-Platform", "The platform, e.g. \"Linux\"."),
    IdentitySetting("device_nickname", "X-Plex-Device", "The device's friendly name."),
    IdentitySetting("device_name", "X-Plex-Device-Name", "The device's name as shown in the account's device list."),
]

# --------------------------------------------------------------------- models
# Nested models first. `required` is the HEAD spec's list for the account.

MODELS = [
    Model("TransientToken", "get_transient_token's result: MediaContainer of GET /security/token.", [
        Str("token", "The transient token (valid up to 48 h, lost when the server restarts).", secret=True),
    ], py="GetTransientTokenMediaContainer"),

    Model("Connection", "One of a source's connections (MediaContainer.Device.Connection[]).", [
        Str("protocol", "\"http\" or \"https\"."),
        Str("address", "Host name or IP address."),
        Int("port", "TCP port."),
        Str("uri", "The full base URI."),
        Bool("local", "The server's LAN address."),
        Bool("relay", "Relayed through plex.tv."),
        Bool("IPv6", "An IPv6 address (list_resources with includeIPv6=1).", c="ipv6", py="ipv6", go="IPv6"),
    ]),

    Model("SourceInfo", "get_source_connection_information's result: MediaContainer.Device (every field absent "
          "when the server sent no Device).", [
        Str("name", "Device.name."),
        Str("clientIdentifier", "Device.clientIdentifier."),
        Str("accessToken", "Device.accessToken: a token for this source.", secret=True),
        List("Connection", "Connection", "Device.Connection[].", c="connections", py="connection"),
    ], py="Device"),

    Model("Profile", "The account's profile (UserProfile).", [
        Bool("autoSelectAudio", "Select the audio track automatically.", py_default="True"),
        Str("defaultAudioLanguage", "Preferred audio language."),
        Str("defaultSubtitleLanguage", "Preferred subtitle language."),
        Int("autoSelectSubtitle", "Subtitle mode (0-2).", py_default="AutoSelectSubtitle.DISABLE",
            py_enum="AutoSelectSubtitle"),
        Int("defaultSubtitleAccessibility", "Subtitle accessibility preference (0-3).",
            py_default="DefaultSubtitleAccessibility.DISABLE", py_enum="DefaultSubtitleAccessibility"),
        Int("defaultSubtitleForced", "Forced subtitles preference (0-3).",
            py_default="DefaultSubtitleForced.DISABLE", py_enum="DefaultSubtitleForced"),
        Int("watchedIndicator", "Watched indicator mode (0-3).", py_default="WatchedIndicator.DISABLE",
            py_enum="WatchedIndicator"),
        Int("mediaReviewsVisibility", "Media reviews visibility (0-3).",
            py_default="MediaReviewsVisibility.DISABLE", py_enum="MediaReviewsVisibility"),
        Int("defaultAudioAccessibility", "Audio accessibility preference (0-3; HEAD spec)."),
    ], py="UserProfile"),

    Model("Subscription", "A subscription (subscription and subscriptions[]).", [
        Bool("active", "Whether the subscription is active."),
        Str("subscribedAt", "When it started, as sent (e.g. \"2021-04-12T18:21:12Z\")."),
        Str("status", "Open enum: \"Active\", \"Inactive\", or any other string.", py_enum="SubscriptionStatus"),
        Str("paymentService", "The payment service."),
        Str("plan", "The plan, e.g. \"lifetime\"."),
        StrList("features", "The features it unlocks."),
    ]),

    Model("Service", "A services[] entry.", [
        Str("identifier", "The service, e.g. \"metadata\"."),
        Str("endpoint", "Its base URL."),
        Str("token", "A token for the service.", secret=True),
        Str("secret", "A secret for the service.", secret=True),
        Str("status", "Open enum: \"online\", \"offline\", or any other string.", py_enum="ServiceStatus"),
    ], py="Services"),

    Model("Billing", "pastSubscriptions[].billing.", [
        Int("paymentMethodId", "billing.paymentMethodId."),
        Json("internalPaymentMethod", "billing.internalPaymentMethod as compact JSON text (free-form object)."),
    ]),

    Model("PastSubscription", "A pastSubscriptions[] entry (sign-in only).", [
        Str("id", "Its identifier."),
        Str("mode", "Billing mode."),
        Int("renewsAt", "Unix seconds."),
        Int("endsAt", "Unix seconds."),
        Bool("canceled", "Cancelled.", py_default="False"),
        Bool("gracePeriod", "In its grace period.", py_default="False"),
        Bool("onHold", "On hold.", py_default="False"),
        Bool("canReactivate", "Can be reactivated.", py_default="False"),
        Bool("canUpgrade", "Can be upgraded.", py_default="False"),
        Bool("canDowngrade", "Can be downgraded.", py_default="False"),
        Bool("canConvert", "Can be converted.", py_default="False"),
        Str("type", "The type, e.g. \"plexpass\"."),
        Str("transfer", "Transfer state."),
        Str("state", "Open enum: \"ended\" or any other string.", py_enum="State"),
        Inline("billing", "Billing", "Billing details."),
    ]),

    Model("Account", "The plex.tv account (UserPlexAccount): get_token_details and post_users_sign_in_data.", [
        Str("authToken", "The account's token, to be used as X-Plex-Token.", required=True, secret=True),
        Str("uuid", "The account's UUID.", required=True),
        Str("username", "The user name.", required=True),
        Str("title", "The display title.", required=True),
        Str("email", "The e-mail address.", required=True),
        Str("friendlyName", "The friendly name.", required=True),
        Str("locale", "The locale."),
        Str("thumb", "Avatar URL."),
        Str("mailingListStatus", "Open enum: \"active\", \"unsubscribed\", \"removed\", or any other string.",
            py_enum="MailingListStatus"),
        Str("scrobbleTypes", "Scrobble types."),
        Str("country", "Two-letter country code."),
        Str("subscriptionDescription", "A description of the subscription."),
        Str("pin", "Deprecated hashed Home PIN.", secret=True, go="Pin"),
        Str("attributionPartner", "Attribution partner."),
        Int("id", "The account's numeric id.", required=True),
        Int("joinedAt", "Unix seconds.", required=True),
        Int("homeSize", "Members of the Plex Home."),
        Int("maxHomeSize", "Maximum members of the Plex Home."),
        Int("rememberExpiresAt", "When the token expires (Unix seconds)."),
        Time("adsConsentReminderAt", "Unix seconds (the wire carries epoch seconds or an ISO-8601 date-time)."),
        Time("adsConsentSetAt", "Unix seconds (the wire carries epoch seconds or an ISO-8601 date-time)."),
        Bool("adsConsent", "Consented to ads."),
        Bool("anonymous", "Anonymous account.", py_default="False"),
        Bool("backupCodesCreated", "2FA backup codes exist.", py_default="False"),
        Bool("confirmed", "E-mail confirmed.", py_default="False"),
        Bool("emailOnlyAuth", "Signs in by e-mail only.", py_default="False"),
        Bool("experimentalFeatures", "Experimental features on.", py_default="False"),
        Bool("guest", "Guest account.", py_default="False"),
        Bool("hasPassword", "Has a password.", required=True, py_default="True"),
        Bool("home", "Member of a Plex Home.", py_default="False"),
        Bool("homeAdmin", "Admin of its Plex Home.", py_default="False"),
        Bool("mailingListActive", "On the mailing list.", py_default="False"),
        Bool("protected", "Protected by a Home PIN.", py_default="False"),
        Bool("restricted", "Restricted (managed) account.", py_default="False"),
        Bool("twoFactorEnabled", "2FA enabled.", required=True, py_default="False"),
        StrList("entitlements", "Entitlements."),
        StrList("roles", "Roles."),
        Obj("profile", "Profile", "The profile."),
        Obj("subscription", "Subscription", "The current subscription."),
        List("subscriptions", "Subscription", "All subscriptions."),
        List("services", "Service", "Services."),
        List("pastSubscriptions", "PastSubscription", "Sign-in only: past subscriptions."),
        Count("trials", "Sign-in only: trials (their items carry no documented fields).", rust="trial_count",
              go="TrialCount"),
    ], py="UserPlexAccount"),

    Model("Pin", "A PIN for plex.tv/link or the hosted login page (create_pin, get_pin).", [
        Int("id", "The PIN's id: poll it with get_pin, from the same client identifier.", required=True),
        Str("code", "The code: 4 characters for plex.tv/link, 25 for the hosted login page (strong).",
            required=True),
        Str("product", "X-Plex-Product of the client that created it."),
        Bool("trusted", "Whether plex.tv trusts the client."),
        Str("qr", "URL of a QR code for the code."),
        Str("clientIdentifier", "The client identifier that created it (poll with the same one)."),
        Int("expiresIn", "Its lifetime in seconds (900 for 4 characters, 1800 strong)."),
        Time("createdAt", "When it was created (Unix seconds)."),
        Time("expiresAt", "When it expires (Unix seconds); polling stops there."),
        Str("authToken", "The account's token once the user approved the PIN; absent (null) until then.",
            secret=True),
        Bool("newRegistration", "Whether the approval created a new account."),
        Json("location", "Where plex.tv places the client (free-form object)."),
    ]),

    Model("HomeUser", "A Plex Home member (a User element of list_home_users).", [
        Int("id", "The user's numeric id.", required=True),
        Str("uuid", "The user's uuid: switch_home_user takes it.", required=True),
        Str("title", "The display name."),
        Str("username", "The plex.tv user name (empty for managed users)."),
        Str("email", "The e-mail address (empty for managed users)."),
        Str("thumb", "Avatar URL."),
        Bool("admin", "The Home's admin."),
        Bool("guest", "A guest account."),
        Bool("restricted", "A restricted (managed) user."),
        Str("restrictionProfile", "The restriction profile, e.g. \"little_kid\"."),
        Bool("hasPassword", "Has a plex.tv password."),
        Bool("protected", "Protected by a Home PIN: switch_home_user needs it."),
    ]),

    Model("HomeUsers", "list_home_users's result: the MediaContainer of the Home's members.", [
        Str("friendlyName", "The container's friendly name."),
        Str("identifier", "The container's identifier."),
        Str("machineIdentifier", "The machine identifier."),
        Int("totalSize", "Members in the Home."),
        Int("size", "Members in this container."),
        List("User", "HomeUser", "The Home's members (MediaContainer.User[]).", c="users"),
    ], c="home"),

    Model("Resource", "A device of the account (list_resources): a server, a player or another client.", [
        Str("name", "The device's name."),
        Str("product", "The product, e.g. \"Plex Media Server\"."),
        Str("productVersion", "The product's version."),
        Str("platform", "The platform, e.g. \"Linux\"."),
        Str("platformVersion", "The platform's version."),
        Str("device", "The device kind."),
        Str("clientIdentifier", "The device's identifier; for a server its machineIdentifier (connect checks it)."),
        Time("createdAt", "When it was registered (Unix seconds)."),
        Time("lastSeenAt", "When plex.tv last heard of it (Unix seconds)."),
        Str("provides", "What it provides, comma-separated: \"server\", \"client,player,pubsub-player\", ..."),
        Int("ownerId", "The owner's account id; absent (null) when the token's account owns it."),
        Str("sourceTitle", "The owner's name, for a server shared with the account."),
        Str("publicAddress", "Its public IP address."),
        Str("accessToken", "The token to use with this device (may be absent: use the account's for an owned "
            "server).", secret=True),
        Bool("owned", "Owned by the token's account."),
        Bool("home", "Shared within the Plex Home."),
        Bool("synced", "A sync target."),
        Bool("relay", "plex.tv relays connections to it."),
        Bool("presence", "Online now, as plex.tv sees it."),
        Bool("httpsRequired", "The server accepts HTTPS only."),
        Bool("publicAddressMatches", "It is on the caller's network (same public address)."),
        Bool("dnsRebindingProtection", "The network blocks *.plex.direct names (DNS rebinding protection)."),
        Bool("natLoopbackSupported", "The router supports NAT loopback."),
        List("connections", "Connection", "The addresses it is reachable at."),
    ]),

    Model("Resources", "list_resources's result: the account's devices (the body is a JSON array of them).", [
        List("devices", "Resource", "The devices, in plex.tv's order."),
    ]),

    Model("ServerIdentity", "get_identity's result: a Plex Media Server's /identity (no token needed).", [
        Str("machineIdentifier", "The server's identifier: a resource's clientIdentifier."),
        Str("version", "The server's version."),
        Bool("claimed", "Claimed by a plex.tv account."),
    ]),

    Model("Nonce", "get_nonce's result: a single-use nonce for a device JWT (valid 5 minutes).", [
        Str("nonce", "The nonce.", required=True),
    ]),

    Model("Jwk", "A public key of plex.tv's key set (get_jwks), or a device's public key.", [
        Str("kty", "Key type: \"OKP\"."),
        Str("crv", "Curve: \"Ed25519\"."),
        Str("x", "The public key, base64url."),
        Str("kid", "The key's id (plex.tv puts it in its JWTs' header)."),
        Str("use", "\"sig\"."),
        Str("alg", "\"EdDSA\"."),
    ]),

    Model("Jwks", "get_jwks's result: the keys plex.tv signs its JWTs with (it rotates them).", [
        List("keys", "Jwk", "The keys."),
    ]),

    Model("JwtToken", "exchange_device_jwt's result: a Plex JWT (valid 7 days) for this device.", [
        Str("auth_token", "The Plex JWT, used as X-Plex-Token with plex.tv.", required=True, secret=True),
    ]),

    Model("Pong", "ping's result.", [
        Bool("pong", "true: plex.tv accepted the token (and extended its life)."),
    ]),
]

# --------------------------------------------------------------------- operations

OPERATIONS = [
    Operation(
        "get_transient_token",
        "A temporary token with the caller's access level (valid up to 48 h, lost when the server restarts).",
        method="GET", host="pms", path="/security/token", success=200, result="TransientToken",
        query=[Param("type", "\"delegation\", the only documented value.", default="delegation",
                     py_enum="GetTransientTokenQueryParamType"),
               Param("scope", "\"all\", the only documented value.", default="all", py_enum="Scope")],
        envelope=("MediaContainer",), empty_ok=True, cli="transient-token", cli_custom=True,
    ),
    Operation(
        "get_source_connection_information",
        "Connection details and a token for a source the server knows (admin token required).",
        method="GET", host="pms", path="/security/resources", success=200, result="SourceInfo",
        query=[Param("source", "The source, e.g. \"server://<client-identifier>\".", non_empty=True,
                     example="server://3381b62b9ab74e37")],
        envelope=("MediaContainer", "Device"), envelope_array_first=True, empty_ok=True, cli="source-info", cli_custom=True,
    ),
    Operation(
        "get_token_details",
        "The account behind the token.",
        method="GET", host="plex_tv", path="/user", success=200, result="Account", cli="token-details", cli_custom=True,
        py_result="user_plex_account", py_optional=True,
    ),
    Operation(
        "post_users_sign_in_data",
        "Signs in with a login and password (and a 2FA code when asked for one); no X-Plex-Token is sent.",
        method="POST", host="plex_tv", path="/users/signin", success=201, result="Account", token="never",
        body="form", request="sign_in", identity_override=True, retry="no_4xx",
        body_params=[Param("login", "The account's e-mail or user name.", non_empty=True),
                     Param("password", "The password.", secret=True, non_empty=True),
                     Param("rememberMe", "Remember the token longer.", kind="bool", required=False,
                           always_sent=True),
                     Param("verificationCode", "The 2FA code.", secret=True, required=False, max_len=64)],
        plex_codes={1029: ("two_factor_required", 401, "a two-factor verification code is required"),
                    1031: ("sign_in_throttled", None, "sign-in throttled by plex.tv after repeated failures")},
        c_hand_written=True, cli="sign-in", cli_custom=True, py_result="user_plex_account", py_optional=True,
    ),
    Operation(
        "create_pin",
        "Creates a PIN for PIN or hosted (OAuth) login; no X-Plex-Token is sent. plex.tv rate-limits PIN creation per "
        "client identifier: a 429 is retried after Retry-After or the backoff.",
        method="POST", host="plex_tv", path="/pins", success=201, result="Pin", token="never",
        query=[Param("strong", "Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a "
                     "4-character one for plex.tv/link (15 minutes).", kind="bool", required=False)],
    ),
    Operation(
        "get_pin",
        "Polls a PIN (send the client identifier that created it); its authToken is set once the user approved.",
        method="GET", host="plex_tv", path="/pins/{id}", success=200, result="Pin", token="never",
        path_params=[Param("id", "The PIN's id (create_pin's id).", kind="int", example="1000001")],
        plex_codes={1020: ("pin_expired", 404, "the PIN expired or does not exist")},
    ),
    Operation(
        "link_pin",
        "Links a code shown by another device to the signed-in account (the token's).",
        method="PUT", host="plex_tv", path="/pins/link", success=204, result=None, body="form",
        body_params=[Param("code", "The code the other device shows.", non_empty=True, example="SEED")],
        plex_codes={1020: ("pin_expired", 404, "the PIN expired or does not exist")},
    ),
    Operation(
        "sign_out",
        "Signs the token out: plex.tv invalidates it.",
        method="DELETE", host="plex_tv", path="/users/signout", success=204, result=None,
    ),
    Operation(
        "switch_home_user",
        "Switches to a Plex Home user: the result is that user's account and token. The PIN travels in the query, "
        "as plex.tv requires; it is redacted from every log line and message.",
        method="POST", host="plex_tv", path="/home/users/{user}/switch", success=201, result="Account",
        path_params=[Param("user", "The Home user's uuid (or numeric id).", non_empty=True,
                           example="homeuser0000uuid")],
        query=[Param("pin", "The Home user's PIN; needed when the user is protected (NULL: none).", secret=True,
                     required=False, max_len=64)],
        plex_codes={1041: ("pin_required", 403, "a valid Home user PIN is required")}, retry="no_4xx",
    ),
    Operation(
        "ping",
        "Checks the token with plex.tv and keeps it alive (Plex apps ping every 24 h).",
        method="GET", host="plex_tv", path="/ping", success=200, result="Pong", cli="ping",
    ),
    Operation(
        "list_home_users",
        "Lists the members of the token's Plex Home (admin and managed users) with whether each is protected by a "
        "PIN. plex.tv documents this route in its v1 form only, which answers XML: the XML and a JSON body of the "
        "same shape are both read.",
        method="GET", host="plex_tv_v1", path="/home/users", success=200, result="HomeUsers",
        envelope=("MediaContainer",), xml=True, cli="home-users", cli_custom=True,
    ),
    Operation(
        "list_resources",
        "The account's devices (servers, players, other clients) with their connections and access tokens, from "
        "clients.plex.tv, HTTPS, relay and IPv6 connections included. A server shared with the account has its own "
        "accessToken: use it, not the account's token, with that server.",
        method="GET", host="clients", path="/resources?includeHttps=1&includeRelay=1&includeIPv6=1", success=200,
        result="Resources", root_list="devices", cli="servers", cli_custom=True,
    ),
    Operation(
        "get_nonce",
        "A nonce for the device JWT (JWT device authentication; valid 5 minutes, single use). No token is sent.",
        method="GET", host="clients", path="/auth/nonce", success=200, result="Nonce", token="never",
    ),
    Operation(
        "get_jwks",
        "The public keys plex.tv signs its JWTs with (a JSON Web Key Set; plex.tv rotates them). No token is sent.",
        method="GET", host="clients", path="/auth/keys", success=200, result="Jwks", token="never",
    ),
    Operation(
        "exchange_device_jwt",
        "Exchanges a device JWT (signed with the registered device key: plexauth_device_key_sign_jwt) for a Plex JWT. "
        "No token is sent.",
        method="POST", host="clients", path="/auth/token", success=200, result="JwtToken", token="never",
        body="json", body_params=[Param("jwt", "The signed device JWT.", secret=True, non_empty=True)],
        retry="no_4xx", plex_codes={1097: ("jwt_issuer_mismatch", None, "the device JWT's issuer is not this client "
                                           "identifier")},
    ),
    Operation(
        "create_jwk_pin",
        "Creates a PIN that carries the device's public key (JWT device authentication: PIN or hosted login with no "
        "legacy token). Poll it with get_jwk_pin (plexauth_client_wait_for_jwk_pin polls it for you); once approved, "
        "its authToken is a Plex JWT and the key is registered for the account. No token is sent.",
        method="POST", host="clients", path="/pins", success=201, result="Pin", token="never", body="json",
        body_params=[Param("jwk", "The device key's public JWK (plexauth_device_key_jwk()).", non_empty=True,
                           json_object=True, max_len=4096,
                           example='{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}'),
                     Param("strong", "Non-zero: a long code for the hosted login page (lives 30 minutes) instead of "
                           "a 4-character one for plex.tv/link (15 minutes).", kind="bool", required=False)],
    ),
    Operation(
        "get_jwk_pin",
        "Polls a PIN made by create_jwk_pin, proving the device holds the key with a device JWT signed by it (in the "
        "query, as plex.tv requires; redacted from every log line and message). Its authToken is a Plex JWT once the "
        "user approved. No token is sent.",
        method="GET", host="clients", path="/pins/{id}", success=200, result="Pin", token="never",
        path_params=[Param("id", "The PIN's id (create_jwk_pin's id).", kind="int", example="1000001")],
        query=[Param("deviceJWT", "A device JWT signed with the PIN's key (plexauth_device_key_sign_jwt()).",
                     c="device_jwt", secret=True, non_empty=True)],
        plex_codes={1020: ("pin_expired", 404, "the PIN expired or does not exist")},
    ),
    Operation(
        "get_identity",
        "A Plex Media Server's identity (GET /identity: machineIdentifier, version, claimed), the cheapest check that "
        "an address reaches the right server. The server needs no token for it; the client's is sent when set.",
        method="GET", host="pms", path="/identity", success=200, result="ServerIdentity", envelope=("MediaContainer",),
        xml=True, cli="identity",
    ),
]

# ------------------------------------------------------------ Python enumerations
# The members of the open enums named by py_enum (Python only; other languages keep plain values).

_OFF_ON = {"DISABLE": 0, "ENABLE": 1}

PY_ENUMS = [
    PyEnum("GetTransientTokenQueryParamType", {"DELEGATION": "delegation"},
           "``type`` of get_transient_token: ``delegation`` is the only value."),
    PyEnum("Scope", {"ALL": "all"}, "``scope`` of get_transient_token: ``all`` is the only value."),
    PyEnum("MailingListStatus", {"ACTIVE": "active", "UNSUBSCRIBED": "unsubscribed"}),
    *[PyEnum(name, _OFF_ON) for name in ("AutoSelectSubtitle", "DefaultSubtitleAccessibility", "DefaultSubtitleForced",
                                         "WatchedIndicator", "MediaReviewsVisibility")],
    PyEnum("ServiceStatus", {"ONLINE": "online", "OFFLINE": "offline"}),
    PyEnum("SubscriptionStatus", {"INACTIVE": "Inactive", "ACTIVE": "Active"}),
    PyEnum("State", {"ENDED": "ended"}),
]
