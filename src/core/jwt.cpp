#include "core/jwt.h"

#include "core/json.h"  // first: it configures RapidJSON

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <utility>

namespace plexauth::jwt {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

[[noreturn]] void crypto_failed(const char *what) { fail(Status::Internal, std::string("OpenSSL: ") + what); }

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
void put(Writer &w, const char *k, std::string_view v) {
  w.Key(k);
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

std::string raw_public(EVP_PKEY *k) {
  unsigned char pub[32];
  size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(k, pub, &len) != 1 || len != 32) crypto_failed("no Ed25519 public key");
  return std::string(reinterpret_cast<char *>(pub), len);
}

bool verify_signature(std::string_view x, std::string_view data, std::string_view sig) {
  const auto pub = b64url_decode(x);
  if (!pub || pub->size() != 32 || sig.size() != 64) return false;
  EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                            reinterpret_cast<const unsigned char *>(pub->data()), pub->size());
  if (!k) return false;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, k) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char *>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(k);
  return ok;
}

}  // namespace

std::string b64url_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (in.size() - i == 1) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (in.size() - i == 2) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> b64url_decode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = value_of(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
  return out;
}

// ------------------------------------------------------------------ keys

DeviceKey::DeviceKey(EVP_PKEY *k) : key_(k) {
  x_ = b64url_encode(raw_public(k));
  kid_ = thumbprint(x_);
}

DeviceKey DeviceKey::share() const {
  std::string x = x_, kid = kid_;  // copied before the reference is taken: nothing to undo if this throws
  if (EVP_PKEY_up_ref(key_) != 1) fail(Status::Internal, "OpenSSL could not share the key");
  return DeviceKey(key_, std::move(x), std::move(kid));
}

DeviceKey::DeviceKey(DeviceKey &&o) noexcept : key_(o.key_), x_(std::move(o.x_)), kid_(std::move(o.kid_)) {
  o.key_ = nullptr;
}

DeviceKey &DeviceKey::operator=(DeviceKey &&o) noexcept {
  if (this != &o) {
    EVP_PKEY_free(key_);
    key_ = o.key_;
    o.key_ = nullptr;
    x_ = std::move(o.x_);
    kid_ = std::move(o.kid_);
  }
  return *this;
}

DeviceKey::~DeviceKey() { EVP_PKEY_free(key_); }

DeviceKey DeviceKey::generate() {
  EVP_PKEY *k = nullptr;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  const bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &k) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) crypto_failed("Ed25519 key generation failed");
  try {
    return DeviceKey(k);
  } catch (...) {
    EVP_PKEY_free(k);
    throw;
  }
}

DeviceKey DeviceKey::from_pem(std::string_view pem) {
  if (pem.size() > 64 * 1024) fail(Status::InvalidArgument, "the key is not a PEM Ed25519 private key (too long)");
  BIO *bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) fail(Status::OutOfMemory, "out of memory");
  EVP_PKEY *k = PEM_read_bio_PrivateKey(bio, nullptr, [](char *, int, int, void *) { return 0; }, nullptr);
  BIO_free(bio);
  if (!k) fail(Status::InvalidArgument, "the key is not a PEM PKCS#8 private key (or it is encrypted)");
  if (EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(k);
    fail(Status::InvalidArgument, "the key is not an Ed25519 key");
  }
  try {
    return DeviceKey(k);
  } catch (...) {
    EVP_PKEY_free(k);
    throw;
  }
}

Secret DeviceKey::to_pem() const {
  BIO *bio = BIO_new(BIO_s_secmem());
  if (!bio) bio = BIO_new(BIO_s_mem());
  if (!bio) fail(Status::OutOfMemory, "out of memory");
  if (PEM_write_bio_PKCS8PrivateKey(bio, key_, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    BIO_free(bio);
    crypto_failed("writing the key failed");
  }
  char *data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<size_t>(len));
  BIO_free(bio);  // a secmem BIO clears its buffer
  return Secret(std::move(text));
}

std::string DeviceKey::public_jwk() const {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  put(w, "kty", "OKP");
  put(w, "crv", "Ed25519");
  put(w, "x", x_);
  put(w, "use", "sig");
  put(w, "alg", "EdDSA");
  put(w, "kid", kid_);
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

std::string DeviceKey::sign(std::string_view data) const {
  unsigned char sig[64];
  size_t len = sizeof sig;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_) == 1 &&
                  EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char *>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || len != 64) crypto_failed("Ed25519 signing failed");
  return std::string(reinterpret_cast<char *>(sig), len);
}

std::string thumbprint(std::string_view x) {
  // RFC 7638 §3.2: the required members in lexicographic order, no spaces.
  const std::string canonical = std::string("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"") + std::string(x) + "\"}";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int len = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    crypto_failed("SHA-256 failed");
  return b64url_encode(std::string_view(reinterpret_cast<char *>(digest), len));
}

std::string sign_device_jwt(const DeviceKey &key, std::string_view client_id, std::string_view nonce,
                            std::string_view scope, int64_t now, int64_t lifetime_s) {
  rapidjson::StringBuffer hb;
  {
    Writer w(hb);
    w.StartObject();
    put(w, "alg", "EdDSA");
    put(w, "typ", "JWT");
    put(w, "kid", key.kid());
    w.EndObject();
  }
  rapidjson::StringBuffer pb;
  {
    Writer w(pb);
    w.StartObject();
    if (!nonce.empty()) put(w, "nonce", nonce);
    put(w, "scope", scope);
    put(w, "aud", "plex.tv");
    put(w, "iss", client_id);
    w.Key("iat");
    w.Int64(now);
    w.Key("exp");
    w.Int64(now + lifetime_s);
    w.EndObject();
  }
  std::string input = b64url_encode(std::string_view(hb.GetString(), hb.GetSize())) + "." +
                      b64url_encode(std::string_view(pb.GetString(), pb.GetSize()));
  const std::string sig = key.sign(input);
  return input + "." + b64url_encode(sig);
}

// ------------------------------------------------------------------ verification

Decoded decode(std::string_view jwt) {
  const size_t a = jwt.find('.');
  const size_t b = a == std::string_view::npos ? a : jwt.find('.', a + 1);
  if (a == std::string_view::npos || b == std::string_view::npos || jwt.find('.', b + 1) != std::string_view::npos)
    fail(Status::JwtInvalid, "not a JWT (three base64url parts separated by dots)");
  Decoded d;
  auto h = b64url_decode(jwt.substr(0, a));
  auto p = b64url_decode(jwt.substr(a + 1, b - a - 1));
  auto s = b64url_decode(jwt.substr(b + 1));
  if (!h || !p || !s) fail(Status::JwtInvalid, "a JWT part is not base64url");
  d.header_json = std::move(*h);
  d.payload_json = std::move(*p);
  d.signature = std::move(*s);
  d.signing_input = std::string(jwt.substr(0, b));
  rapidjson::Document header, payload;
  try {
    json::parse(header, d.header_json);
    json::parse(payload, d.payload_json);
  } catch (const Error &) {
    fail(Status::JwtInvalid, "a JWT part is not JSON");
  }
  if (!header.IsObject() || !payload.IsObject()) fail(Status::JwtInvalid, "a JWT part is not a JSON object");
  auto str = [](const rapidjson::Value &o, const char *k) -> std::optional<std::string> {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd() || !it->value.IsString()) return std::nullopt;
    return std::string(it->value.GetString(), it->value.GetStringLength());
  };
  auto num = [](const rapidjson::Value &o, const char *k) -> std::optional<int64_t> {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd()) return std::nullopt;
    if (it->value.IsInt64()) return it->value.GetInt64();
    if (it->value.IsDouble() && it->value.GetDouble() > -9e15 && it->value.GetDouble() < 9e15)
      return static_cast<int64_t>(it->value.GetDouble());
    return std::nullopt;
  };
  d.alg = str(header, "alg").value_or("");
  d.kid = str(header, "kid").value_or("");
  d.iss = str(payload, "iss");
  d.thumbprint = str(payload, "thumbprint");
  d.iat = num(payload, "iat");
  d.exp = num(payload, "exp");
  auto aud = payload.FindMember("aud");
  if (aud != payload.MemberEnd()) {
    if (aud->value.IsString()) d.aud.emplace_back(aud->value.GetString(), aud->value.GetStringLength());
    if (aud->value.IsArray())
      for (const auto &v : aud->value.GetArray())
        if (v.IsString()) d.aud.emplace_back(v.GetString(), v.GetStringLength());
  }
  return d;
}

const char *check_name(Check c) noexcept {
  switch (c) {
    case Check::Ok: return "ok";
    case Check::Malformed: return "malformed";
    case Check::Algorithm: return "algorithm";
    case Check::UnknownKey: return "unknown_key";
    case Check::Signature: return "signature";
    case Check::Issuer: return "issuer";
    case Check::Audience: return "audience";
    case Check::Expired: return "expired";
    case Check::NotYetValid: return "not_yet_valid";
    case Check::Thumbprint: return "thumbprint";
    case Check::MissingClaim: return "missing_claim";
  }
  return "?";
}

std::vector<PublicKey> parse_jwks(std::string_view body) {
  rapidjson::Document doc;
  json::parse(doc, body);  // throws MalformedResponse
  std::vector<PublicKey> out;
  if (!doc.IsObject() || !doc.HasMember("keys") || !doc["keys"].IsArray())
    fail(Status::MalformedResponse, "the key set has no \"keys\" array");
  for (const auto &k : doc["keys"].GetArray()) {
    if (!k.IsObject()) continue;
    auto s = [&](const char *m) {
      auto it = k.FindMember(m);
      return it != k.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                          : std::string();
    };
    if (s("kty") != "OKP" || s("crv") != "Ed25519" || s("x").empty()) continue;
    out.push_back(PublicKey{s("kid").empty() ? thumbprint(s("x")) : s("kid"), s("x")});
  }
  return out;
}

Check verify(std::string_view jwt, const std::vector<PublicKey> &keys, const Expectations &e, Decoded *out) {
  Decoded d;
  try {
    d = decode(jwt);
  } catch (const Error &) {
    return Check::Malformed;
  }
  Check result = Check::Ok;
  const PublicKey *key = nullptr;
  for (const PublicKey &k : keys)
    if (k.kid == d.kid) key = &k;
  if (d.alg != "EdDSA") result = Check::Algorithm;
  else if (!key) result = Check::UnknownKey;
  else if (!verify_signature(key->x, d.signing_input, d.signature)) result = Check::Signature;
  else if (!d.iss || !d.exp || !d.iat || d.aud.empty() || (!e.thumbprint.empty() && !d.thumbprint))
    result = Check::MissingClaim;
  else if (*d.iss != "plex.tv") result = Check::Issuer;
  else if (std::none_of(d.aud.begin(), d.aud.end(), [&](const std::string &a) { return a == "plex.tv" || a == e.client_id; }))
    result = Check::Audience;
  else if (*d.exp + e.leeway_s <= e.now) result = Check::Expired;
  else if (*d.iat - e.leeway_s > e.now) result = Check::NotYetValid;
  else if (!e.thumbprint.empty() && *d.thumbprint != e.thumbprint) result = Check::Thumbprint;
  if (out) *out = std::move(d);
  return result;
}

}  // namespace plexauth::jwt
