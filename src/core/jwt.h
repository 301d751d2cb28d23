// JWT device authentication (issue 11; facts: plex-auth-wave2.md §2): the
// device's Ed25519 key, the device JWT it signs, and the verification of the
// JWTs plex.tv issues against its published keys (JWKS). All cryptography is
// OpenSSL's EVP API; nothing here is hand-written crypto.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/secret.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace plexauth::jwt {

// base64url without padding (RFC 7515 §2); decode refuses padding, other
// alphabets and impossible lengths.
std::string b64url_encode(std::string_view bytes);
std::optional<std::string> b64url_decode(std::string_view text);

// An Ed25519 key pair. Movable, not copyable; OpenSSL clears the private key
// when it is freed.
class DeviceKey {
 public:
  static DeviceKey generate();  // throws Error(Internal/OutOfMemory)
  // A PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----"), Ed25519 only.
  // Throws Error(InvalidArgument) for anything else.
  static DeviceKey from_pem(std::string_view pem);
  Secret to_pem() const;
  // Another handle on the same key (OpenSSL counts the references), for work
  // that may outlive the caller's handle. Throws Error(OutOfMemory/Internal).
  DeviceKey share() const;
  DeviceKey(DeviceKey &&) noexcept;
  DeviceKey &operator=(DeviceKey &&) noexcept;
  DeviceKey(const DeviceKey &) = delete;
  DeviceKey &operator=(const DeviceKey &) = delete;
  ~DeviceKey();

  const std::string &x() const noexcept { return x_; }            // base64url of the 32-byte public key
  const std::string &kid() const noexcept { return kid_; }        // the RFC 7638 thumbprint
  std::string public_jwk() const;                                 // {"kty","crv","x","use","alg","kid"}
  std::string sign(std::string_view data) const;                  // the 64-byte signature

 private:
  explicit DeviceKey(EVP_PKEY *k);
  DeviceKey(EVP_PKEY *k, std::string x, std::string kid) noexcept : key_(k), x_(std::move(x)), kid_(std::move(kid)) {}
  EVP_PKEY *key_ = nullptr;
  std::string x_, kid_;
};

// RFC 7638 thumbprint of an Ed25519 public key given as its JWK "x".
std::string thumbprint(std::string_view x);

// The device JWT: header {"alg":"EdDSA","typ":"JWT","kid"}, claims {"nonce"
// (when given), "scope", "aud":"plex.tv", "iss": client identifier, "iat",
// "exp" = iat + lifetime}.
std::string sign_device_jwt(const DeviceKey &key, std::string_view client_id, std::string_view nonce,
                            std::string_view scope, int64_t now, int64_t lifetime_s);

// A JWT's parts, decoded but not verified.
struct Decoded {
  std::string header_json, payload_json;
  std::string signing_input;  // header.payload as sent
  std::string signature;
  std::string alg, kid;
  std::optional<std::string> iss, thumbprint;
  std::vector<std::string> aud;
  std::optional<int64_t> iat, exp;
};
// Throws Error(JwtInvalid, "...") when it is not a compact JWS with JSON parts.
Decoded decode(std::string_view jwt);

// Which check a verification failed.
enum class Check { Ok = 0, Malformed, Algorithm, UnknownKey, Signature, Issuer, Audience, Expired, NotYetValid,
                   Thumbprint, MissingClaim };
const char *check_name(Check c) noexcept;

struct PublicKey {
  std::string kid;
  std::string x;  // base64url
};
// Reads a JWKS body ({"keys":[...]}) keeping the Ed25519 keys.
std::vector<PublicKey> parse_jwks(std::string_view body);

struct Expectations {
  std::string client_id;       // the audience may be it (or "plex.tv")
  std::string thumbprint;      // the device key's kid; empty: not checked
  int64_t now = 0;             // Unix seconds
  int64_t leeway_s = 60;       // clock skew allowed on exp and iat
};
// Verifies a Plex JWT: alg EdDSA, a key of `keys` by kid, the signature,
// iss "plex.tv", aud containing "plex.tv" or the client id, exp/iat (with
// leeway), thumbprint. Returns the check that failed (Ok: valid) and fills
// `out` when it could decode.
Check verify(std::string_view jwt, const std::vector<PublicKey> &keys, const Expectations &e, Decoded *out);

}  // namespace plexauth::jwt
