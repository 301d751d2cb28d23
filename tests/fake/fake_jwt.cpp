#include "fake_jwt.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace plexauth_fake::jwt {
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

struct MdCtxFree {
  void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

}  // namespace

std::string b64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (bytes.size() - i == 1) {
    const unsigned v = at(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    const unsigned v = at(i) << 16 | at(i + 1) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> b64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value_of(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Non-canonical: leftover bits must be zero.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

SigningKey generate_signing_key() {
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  EVP_PKEY *raw = nullptr;
  const bool ok = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &raw) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) throw std::runtime_error("cannot generate an Ed25519 key");
  SigningKey k;
  k.key.reset(raw, EVP_PKEY_free);
  unsigned char pub[32];
  size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(raw, pub, &len) != 1 || len != 32)
    throw std::runtime_error("cannot read the Ed25519 public key");
  k.x = b64url_encode(std::string_view(reinterpret_cast<const char *>(pub), len));
  k.kid = thumbprint(k.x);
  return k;
}

std::string sign(const SigningKey &key, std::string_view data) {
  MdCtx ctx(EVP_MD_CTX_new());
  unsigned char sig[64];
  size_t len = sizeof sig;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char *>(data.data()), data.size()) != 1)
    throw std::runtime_error("cannot sign with Ed25519");
  return std::string(reinterpret_cast<const char *>(sig), len);
}

bool verify(std::string_view public_raw, std::string_view data, std::string_view sig) {
  if (public_raw.size() != 32 || sig.size() != 64) return false;
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY *)> pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                  reinterpret_cast<const unsigned char *>(public_raw.data()), public_raw.size()),
      EVP_PKEY_free);
  if (!pkey) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char *>(data.data()), data.size()) == 1;
}

std::string thumbprint(std::string_view x) {
  const std::string canonical = R"({"crv":"Ed25519","kty":"OKP","x":")" + std::string(x) + "\"}";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("cannot hash with SHA-256");
  return b64url_encode(std::string_view(reinterpret_cast<const char *>(md), len));
}

std::string public_jwk_json(const SigningKey &key) {
  // x and kid are base64url: nothing to escape.
  return R"({"kty":"OKP","crv":"Ed25519","x":")" + key.x + R"(","kid":")" + key.kid +
         R"(","use":"sig","alg":"EdDSA"})";
}

}  // namespace plexauth_fake::jwt
