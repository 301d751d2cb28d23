// JWT device authentication's cryptography (core/jwt.h) against the RFC 8037
// test vectors and against itself: base64url, the RFC 7638 thumbprint, a
// deterministic Ed25519 signature, device JWTs, and each verification check.
#include "core/jwt.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <gtest/gtest.h>

namespace plexauth::jwt {
namespace {

// RFC 8037 Appendix A.1: the Ed25519 key (d, x) and its thumbprint (A.3).
constexpr char kD[] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
constexpr char kX[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr char kThumbprint[] = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
// A.4: the JWS of "Example of Ed25519 signing" with header {"alg":"EdDSA"}.
constexpr char kInput[] = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr char kSignature[] = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

// The RFC's private key as PKCS#8 PEM (the DER prefix of an Ed25519 key, then d).
std::string rfc_key_pem() {
  std::string der("\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16);
  der += *b64url_decode(kD);
  unsigned char b64[128];
  const int n = EVP_EncodeBlock(b64, reinterpret_cast<const unsigned char *>(der.data()), static_cast<int>(der.size()));
  return "-----BEGIN PRIVATE KEY-----\n" + std::string(reinterpret_cast<char *>(b64), static_cast<size_t>(n)) +
         "\n-----END PRIVATE KEY-----\n";
}

TEST(Base64Url, RoundTripsAndRefusesOtherAlphabets) {
  for (std::string s : {std::string(""), std::string("f"), std::string("fo"), std::string("foo"), std::string("\xff\xfe\x00", 3)})
    EXPECT_EQ(b64url_decode(b64url_encode(s)), s);
  EXPECT_EQ(b64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(b64url_decode("Zm9v"), "foo");
  EXPECT_FALSE(b64url_decode("Zm9v="));   // padding
  EXPECT_FALSE(b64url_decode("+/8"));     // the other alphabet
  EXPECT_FALSE(b64url_decode("Z"));       // impossible length
  EXPECT_FALSE(b64url_decode("Zh"));      // non-zero trailing bits
}

TEST(DeviceKey, MatchesTheRfc8037Vectors) {
  EXPECT_EQ(thumbprint(kX), kThumbprint);
  DeviceKey key = DeviceKey::from_pem(rfc_key_pem());
  EXPECT_EQ(key.x(), kX);
  EXPECT_EQ(key.kid(), kThumbprint);
  EXPECT_EQ(b64url_encode(key.sign(kInput)), kSignature);  // Ed25519 is deterministic
  EXPECT_EQ(key.public_jwk(), std::string(R"({"kty":"OKP","crv":"Ed25519","x":")") + kX +
                                  R"(","use":"sig","alg":"EdDSA","kid":")" + kThumbprint + R"("})");
}

TEST(DeviceKey, PemRoundTripAndRefusals) {
  DeviceKey a = DeviceKey::generate();
  DeviceKey b = DeviceKey::from_pem(a.to_pem().reveal());
  EXPECT_EQ(a.kid(), b.kid());
  EXPECT_NE(DeviceKey::generate().kid(), a.kid());
  EXPECT_THROW(DeviceKey::from_pem("not a key"), Error);
  EXPECT_THROW(DeviceKey::from_pem(""), Error);
  // An EC P-256 key is a PEM private key, but not an Ed25519 one.
  EVP_PKEY *ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  BIO *bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio, ec, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char *data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(ec);
  try {
    DeviceKey::from_pem(pem);
    ADD_FAILURE() << "an EC key was accepted";
  } catch (const Error &err) {
    EXPECT_EQ(err.status(), Status::InvalidArgument);
    EXPECT_NE(std::string(err.what()).find("Ed25519"), std::string::npos) << err.what();
  }
}

struct Issued {
  DeviceKey plex = DeviceKey::generate();  // plays plex.tv's signing key
  std::vector<PublicKey> keys{{plex.kid(), plex.x()}};
};

// A Plex JWT as plex.tv's fake issues one, signed by `signer`.
std::string plex_jwt(const DeviceKey &signer, const std::string &payload, const std::string &alg = "EdDSA") {
  const std::string input = b64url_encode(R"({"kid":")" + signer.kid() + R"(","typ":"JWT","alg":")" + alg + "\"}") +
                            "." + b64url_encode(payload);
  return input + "." + b64url_encode(signer.sign(input));
}

TEST(Verify, EachCheck) {
  Issued i;
  Expectations e;
  e.client_id = "my-client";
  e.thumbprint = "device-kid";
  e.now = 1'700'000'000;
  auto claims = [&](const std::string &extra) {
    return std::string(R"({"iss":"plex.tv","aud":["plex.tv","my-client"],"iat":1699999000,"exp":1700600000,)") +
           R"("thumbprint":"device-kid")" + extra + "}";
  };
  Decoded d;
  EXPECT_EQ(verify(plex_jwt(i.plex, claims("")), i.keys, e, &d), Check::Ok);
  EXPECT_EQ(d.exp, 1700600000);
  const std::string good = plex_jwt(i.plex, claims(""));
  std::string flipped = good;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify(flipped, i.keys, e, nullptr), Check::Signature);
  EXPECT_EQ(verify(plex_jwt(DeviceKey::generate(), claims("")), i.keys, e, nullptr), Check::UnknownKey);
  EXPECT_EQ(verify(plex_jwt(i.plex, claims(""), "none"), i.keys, e, nullptr), Check::Algorithm);
  EXPECT_EQ(verify("a.b", i.keys, e, nullptr), Check::Malformed);
  EXPECT_EQ(verify(plex_jwt(i.plex, R"({"iss":"evil","aud":"plex.tv","iat":1699999000,"exp":1700600000,"thumbprint":"device-kid"})"), i.keys, e, nullptr), Check::Issuer);
  EXPECT_EQ(verify(plex_jwt(i.plex, R"({"iss":"plex.tv","aud":"other","iat":1699999000,"exp":1700600000,"thumbprint":"device-kid"})"), i.keys, e, nullptr), Check::Audience);
  EXPECT_EQ(verify(plex_jwt(i.plex, R"({"iss":"plex.tv","aud":"plex.tv","iat":1699999000,"exp":1699999900,"thumbprint":"device-kid"})"), i.keys, e, nullptr), Check::Expired);
  EXPECT_EQ(verify(plex_jwt(i.plex, R"({"iss":"plex.tv","aud":"plex.tv","iat":1700000000,"exp":1699999990,"thumbprint":"device-kid"})"), i.keys, e, nullptr), Check::Ok) << "60 s leeway";
  EXPECT_EQ(verify(plex_jwt(i.plex, R"({"iss":"plex.tv","aud":"plex.tv","iat":1700000100,"exp":1700600000,"thumbprint":"device-kid"})"), i.keys, e, nullptr), Check::NotYetValid);
  EXPECT_EQ(verify(plex_jwt(i.plex, R"({"iss":"plex.tv","aud":"plex.tv","iat":1699999000,"exp":1700600000,"thumbprint":"other"})"), i.keys, e, nullptr), Check::Thumbprint);
  EXPECT_EQ(verify(plex_jwt(i.plex, R"({"iss":"plex.tv","aud":"plex.tv","exp":1700600000,"thumbprint":"device-kid"})"), i.keys, e, nullptr), Check::MissingClaim);
  // Rotation: the JWT's kid picks the key, wherever it sits in the set.
  DeviceKey next = DeviceKey::generate();
  std::vector<PublicKey> rotated{{next.kid(), next.x()}, {i.plex.kid(), i.plex.x()}};
  EXPECT_EQ(verify(good, rotated, e, nullptr), Check::Ok);
  EXPECT_EQ(verify(plex_jwt(next, claims("")), rotated, e, nullptr), Check::Ok);
}

TEST(DeviceJwt, ClaimsAndSignatureVerifyWithThePublicKey) {
  DeviceKey key = DeviceKey::generate();
  const std::string jwt = sign_device_jwt(key, "client-1", "nonce-1", "username,email", 1700000000, 300);
  Decoded d = decode(jwt);
  EXPECT_EQ(d.alg, "EdDSA");
  EXPECT_EQ(d.kid, key.kid());
  EXPECT_EQ(d.iss, "client-1");
  EXPECT_EQ(d.aud, std::vector<std::string>{"plex.tv"});
  EXPECT_EQ(d.iat, 1700000000);
  EXPECT_EQ(d.exp, 1700000300);
  EXPECT_NE(d.payload_json.find(R"("nonce":"nonce-1")"), std::string::npos);
  EXPECT_NE(d.payload_json.find(R"("scope":"username,email")"), std::string::npos);
  EXPECT_NE(d.header_json.find(R"("typ":"JWT")"), std::string::npos);
  // The signature checks out with the public key alone (as plex.tv checks it).
  Expectations e;
  e.now = 1700000010;
  // iss is the client here, so only the signature path of verify() is meant: use a JWKS of the device key.
  Decoded v;
  EXPECT_EQ(verify(jwt, {{key.kid(), key.x()}}, e, &v), Check::Issuer) << "signature accepted, then iss checked";
  const std::string no_nonce = sign_device_jwt(key, "client-1", "", "s", 1, 300);
  EXPECT_EQ(decode(no_nonce).payload_json.find("nonce"), std::string::npos);
}

}  // namespace
}  // namespace plexauth::jwt
