"""Verifying Passerelle's identity assertion in a Python application.

Python >= 3.9 and `cryptography` (>= 3.4) only: no JWT library is needed for one fixed algorithm.
(With PyJWT, see docs/integration.md: the rules are the same.)

Behind the gateway every request carries the assertion header (`X-Passerelle-Assertion` unless the
application's headers are renamed in Passerelle's configuration): a JWT signed with ES256, short-lived,
whose `aud` is your application's id. Verify it on EVERY request and take the identity from its claims.

    verifier = AssertionVerifier(
        jwks_url="https://portail.esante.example/.well-known/jwks.json",
        issuer="https://portail.esante.example",  # Passerelle's publicUrl, exactly
        audience="opendrp",                        # your application id
        header_names=header_names_from_config(os.environ.get("PASSERELLE_HEADERS")),
        cafile="passerelle-ca.pem",                # only when the JWKS URL uses Passerelle's own CA
    )
    identity = verifier.verify_request(request.headers)   # raises AssertionRefused -> answer 401

Passerelle's test suite runs this file against a real gateway (test/integration-example-python.test.ts):
`python3 passerelle_assertion.py` reads {"headers": {...}} on stdin and prints the verdict as JSON.
"""
import base64
import json
import os
import ssl
import sys
import threading
import time
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

# The defaults; an application whose headers are renamed in Passerelle's configuration
# (applications[].headers) passes the same mapping, e.g. from PASSERELLE_HEADERS (JSON).
DEFAULT_HEADER_NAMES = {
    "user": "X-Passerelle-User",
    "legacyUser": "X-Passerelle-Legacy-User",
    "authMethod": "X-Passerelle-Auth-Method",
    "certificateSerial": "X-Passerelle-Certificate-Serial",
    "certificateSha256": "X-Passerelle-Certificate-Sha256",
    "establishment": "X-Passerelle-Establishment",
    "assertion": "X-Passerelle-Assertion",
}
REQUIRED_CLAIMS = ("iss", "aud", "sub", "iat", "nbf", "exp", "jti", "preferred_username", "auth_method")


class AssertionRefused(Exception):
    """The request did not come through Passerelle (answer 401; log `reason`, never show it)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def header_names_from_config(text):
    """The `headers` block of the application in Passerelle's configuration, as JSON; defaults for the rest."""
    names = dict(DEFAULT_HEADER_NAMES)
    if text:
        renamed = json.loads(text)
        unknown = set(renamed) - set(names)
        if unknown:
            raise ValueError(f"unknown header keys: {sorted(unknown)}")
        names.update(renamed)
    return names


def _b64url(data):
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def _b64url_encode(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class AssertionVerifier:
    def __init__(self, jwks_url, issuer, audience, header_names=None, cafile=None,
                 leeway_seconds=5, max_age_seconds=120, cache_seconds=600, refetch_cooldown_seconds=30, now=time.time):
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self.header_names = header_names or dict(DEFAULT_HEADER_NAMES)
        self.ssl_context = ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
        self.leeway = leeway_seconds
        self.max_age = max_age_seconds
        self.cache_seconds = cache_seconds
        self.cooldown = refetch_cooldown_seconds
        self.now = now
        self._keys = {}
        self._fetched_at = None
        self._lock = threading.Lock()

    # -- keys -------------------------------------------------------------------------------------
    def _fetch(self):
        with urllib.request.urlopen(self.jwks_url, context=self.ssl_context, timeout=5) as response:
            jwks = json.load(response)
        keys = {}
        for jwk in jwks.get("keys", []):
            if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256" and jwk.get("kid"):
                numbers = ec.EllipticCurvePublicNumbers(int.from_bytes(_b64url(jwk["x"]), "big"), int.from_bytes(_b64url(jwk["y"]), "big"), ec.SECP256R1())
                keys[jwk["kid"]] = numbers.public_key()
        self._keys = keys
        self._fetched_at = self.now()

    def _key(self, kid):
        """By kid; the set is cached and refetched on an unknown kid (key rotation), at most every `cooldown` s."""
        with self._lock:
            stale = self._fetched_at is None or self.now() - self._fetched_at > self.cache_seconds
            if stale or (kid not in self._keys and self.now() - self._fetched_at > self.cooldown):
                try:
                    self._fetch()
                except OSError as error:
                    if not self._keys:
                        raise AssertionRefused("jwks_unavailable") from error
            key = self._keys.get(kid)
        if key is None:
            raise AssertionRefused("unknown_key")
        return key

    # -- one token --------------------------------------------------------------------------------
    def verify_assertion(self, token):
        """The verified claims of one assertion; raises AssertionRefused."""
        try:
            header_b64, payload_b64, signature_b64 = token.split(".")
            header = json.loads(_b64url(header_b64))
            claims = json.loads(_b64url(payload_b64))
            signature = _b64url(signature_b64)
        except (ValueError, TypeError):
            raise AssertionRefused("malformed") from None
        # Fixed algorithm: never the one the token names ("none", HS256 keyed with the public key…).
        if header.get("alg") != "ES256":
            raise AssertionRefused("algorithm_not_allowed")
        if header.get("typ") != "JWT" or not isinstance(claims, dict) or len(signature) != 64:
            raise AssertionRefused("malformed")
        key = self._key(header.get("kid"))
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        try:
            key.verify(der, f"{header_b64}.{payload_b64}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise AssertionRefused("bad_signature") from None
        missing = [name for name in REQUIRED_CLAIMS if name not in claims]
        if missing:
            raise AssertionRefused("missing_claim_" + missing[0])
        if claims["iss"] != self.issuer:
            raise AssertionRefused("invalid_claim_iss")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if self.audience not in audiences:
            raise AssertionRefused("invalid_claim_aud")  # made for another application
        now = self.now()
        if now >= claims["exp"] + self.leeway:
            raise AssertionRefused("expired")
        if now < claims["nbf"] - self.leeway or now < claims["iat"] - self.leeway:
            raise AssertionRefused("not_yet_valid")
        if now - claims["iat"] > self.max_age:
            raise AssertionRefused("too_old")
        return claims

    # -- one request ------------------------------------------------------------------------------
    def verify_request(self, headers):
        """The identity of a request that came through Passerelle; `headers` is case-insensitive or a plain dict."""
        lower = {name.lower(): value for name, value in dict(headers).items()}
        get = lambda key: lower.get(self.header_names[key].lower())  # noqa: E731
        token = get("assertion")
        if not token:
            raise AssertionRefused("missing_assertion")
        claims = self.verify_assertion(token)
        # The plain headers are a convenience: they must agree with the signed claims.
        if get("user") != claims["preferred_username"]:
            raise AssertionRefused("user_header_mismatch")
        # A certificate sign-in is bound to the client certificate; Pro Sante Connect has none.
        if claims["auth_method"] != "pro-sante-connect":
            fingerprint = (get("certificateSha256") or "").replace(":", "")
            try:
                x5t = _b64url_encode(bytes.fromhex(fingerprint))
            except ValueError:
                x5t = None
            if not isinstance(claims.get("cnf"), dict) or x5t != claims["cnf"].get("x5t#S256"):
                raise AssertionRefused("certificate_binding_mismatch")
        elif "cnf" in claims or get("certificateSha256"):
            raise AssertionRefused("certificate_binding_mismatch")
        if (get("legacyUser") or None) != claims.get("legacy_username"):
            raise AssertionRefused("legacy_header_mismatch")
        return {
            "id": claims["sub"],
            "identifier": claims["preferred_username"],
            "name": claims.get("name"),
            "email": claims.get("email"),
            "authMethod": claims["auth_method"],
            "amr": claims.get("amr", []),
            "establishment": claims.get("establishment"),
            "legacyUsername": claims.get("legacy_username"),
        }


def main():
    """stdin {"headers": {...}} -> stdout {"ok": true, "identity": {...}} or {"ok": false, "reason": "..."}."""
    verifier = AssertionVerifier(
        jwks_url=os.environ["PASSERELLE_JWKS_URL"],
        issuer=os.environ["PASSERELLE_ISSUER"],
        audience=os.environ["PASSERELLE_AUDIENCE"],
        header_names=header_names_from_config(os.environ.get("PASSERELLE_HEADERS")),
        cafile=os.environ.get("PASSERELLE_CA_FILE") or None,
    )
    request = json.load(sys.stdin)
    try:
        print(json.dumps({"ok": True, "identity": verifier.verify_request(request["headers"])}))
    except AssertionRefused as refused:
        print(json.dumps({"ok": False, "reason": refused.reason}))


if __name__ == "__main__":
    main()
