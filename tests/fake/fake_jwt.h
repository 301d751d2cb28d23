// Ed25519 and base64url for the fake's JWT device authentication
// (tests/fake/README.md "JWT device authentication"). Internal to the fake:
// OpenSSL's EVP API does the cryptography.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace plexauth_fake::jwt {

// base64url without padding (RFC 7515 §2).
std::string b64url_encode(std::string_view bytes);
// Strict: only the base64url alphabet, no padding, no whitespace; nullopt otherwise.
std::optional<std::string> b64url_decode(std::string_view text);

// An Ed25519 key pair (the fake's signing keys).
struct SigningKey {
  std::shared_ptr<EVP_PKEY> key;
  std::string x;    // b64url of the raw 32-byte public key
  std::string kid;  // its RFC 7638 thumbprint
};
SigningKey generate_signing_key();  // throws std::runtime_error when OpenSSL fails
// The 64-byte signature of data.
std::string sign(const SigningKey &key, std::string_view data);
// Whether sig is a valid Ed25519 signature of data by the raw 32-byte public key.
bool verify(std::string_view public_raw, std::string_view data, std::string_view sig);

// RFC 7638 thumbprint of an Ed25519 OKP key: b64url(SHA-256(
// {"crv":"Ed25519","kty":"OKP","x":"<x>"})).
std::string thumbprint(std::string_view x);

// {"kty":"OKP","crv":"Ed25519","x":...,"kid":...,"use":"sig","alg":"EdDSA"}
std::string public_jwk_json(const SigningKey &key);

}  // namespace plexauth_fake::jwt
