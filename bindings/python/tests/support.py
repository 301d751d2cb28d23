"""Shared test helpers: the fake's seeded data and its control API."""

import json
import urllib.request
from typing import Any, Dict, List, Optional

# Seeded data of the fake (see tests/fake).
TOKEN_A = "CxoUzBTSV5hsxjTpFKaf"
TOKEN_B = "gHjKlMnOpQrStUvWxYz"
REVOKED = "revokedTokenXXXXXXXX"
LOGIN_A, PASSWORD_A = "username@email.com", "password123"
LOGIN_B, PASSWORD_B, CODE_B = "user12345@example.com", "hunter2-secret", "123456"
SOURCE = "server://3381b62b9ab74e37"
SOURCE_TOKEN = "srcAccessTok0123456789"
# The fake's Plex Home of account A, and the first PIN id created after a reset.
HOME_PROTECTED, HOME_PIN, HOME_OPEN = "homeuser0000uuid", "1234", "homeuser0001uuid"
FIRST_PIN_ID = 1000002
SECRETS = [TOKEN_A, TOKEN_B, PASSWORD_A, PASSWORD_B, CODE_B, SOURCE_TOKEN, "h5z3rQxLhJ2lRyB4gN7v"]

IDENTITY_ENV = ("CLIENT_ID", "CLIENT_NAME", "CLIENT_VERSION", "PLATFORM", "DEVICE_NICKNAME")


class Fake:
    """A running plexauth-fake and its control API."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"  # PMS
        self.plex_tv = f"{self.base}/api/v2"  # plex.tv API base

    def _control(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self._control("POST", "/_fake/reset", {})

    def faults(self, path: str, *faults: Dict[str, Any]) -> None:
        self._control("POST", "/_fake/faults", {"path": path, "faults": list(faults)})

    def requests(self, path: Optional[str] = None) -> List[Dict[str, Any]]:
        log: List[Dict[str, Any]] = self._control("GET", "/_fake/requests")
        return [r for r in log if path is None or r["path"] == path]

    def topology(self, servers: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Replaces account A's resources with these loopback servers (tests/fake/README.md,
        "Topology"); the resources array the fake now answers."""
        answer: List[Dict[str, Any]] = self._control("POST", "/_fake/topology", {"servers": servers})
        return answer

    def connections(self) -> int:
        return int(self._control("GET", "/_fake/connections")["count"])

    def approve_pin(self, pin_id: int, login: str) -> None:
        self._control("POST", "/_fake/pins/approve", {"id": pin_id, "login": login})

    def expire_pin(self, pin_id: int) -> None:
        self._control("POST", "/_fake/pins/expire", {"id": pin_id})

    def advance_clock(self, seconds: int) -> None:
        """Moves the fake's clock forward (PIN, nonce and JWT times)."""
        self._control("POST", "/_fake/clock", {"advance_s": seconds})

    def jwt_rotate(self, drop_old: bool = False) -> None:
        """A new signing key for the Plex JWTs (the older ones dropped from /auth/keys or not)."""
        self._control("POST", "/_fake/jwt/rotate", {"drop_old": drop_old})

    def jwt_lifetime(self, seconds: int) -> None:
        """The lifetime of the Plex JWTs issued from now on."""
        self._control("POST", "/_fake/jwt/lifetime", {"seconds": seconds})

    def jwt_expire(self) -> None:
        """Every Plex JWT issued so far is expired (HTTP 498 on use)."""
        self._control("POST", "/_fake/jwt/expire", {})

    def pin_limit(self, per_client: Optional[int], retry_after: Optional[str] = None) -> None:
        body: Dict[str, Any] = {"per_client": per_client}
        if retry_after is not None:
            body["retry_after"] = retry_after
        self._control("POST", "/_fake/pins/limit", body)


def header(request: Dict[str, Any], name: str) -> Optional[str]:
    """A recorded request's header, case-insensitively."""
    for key, value in request["headers"].items():
        if key.lower() == name.lower():
            return str(value)
    return None
