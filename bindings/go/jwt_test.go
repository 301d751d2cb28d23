package plexauth_test

// JWT device authentication (issue 11 item 7) through the Go binding,
// against the fake, which checks every device JWT for real (its own Ed25519
// code): keys and their files, register, login, verify against a rotating
// key set, expiry and the refreshing session, the refusals, and no secret in
// any error, log line or fmt output.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plexauth/plexauth-go"
)

const jwtClientID = "jwt-go-device-0001"

// logSink collects a client's log lines.
type logSink struct {
	mu   sync.Mutex
	text strings.Builder
}

func (l *logSink) log(_ plexauth.LogLevel, msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.text.WriteString(msg + "\n")
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

// jwtDevice is a client with account A's legacy token and a client
// identifier, logging everything, and a new device key.
func jwtDevice(t *testing.T) (*plexauth.Client, *plexauth.DeviceKey, *logSink) {
	t.Helper()
	sink := &logSink{}
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: jwtClientID, Logger: sink.log, LogLevel: plexauth.LogDebug})
	key, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = key.Close() })
	return c, key, sink
}

func register(t *testing.T, c *plexauth.Client, key *plexauth.DeviceKey) {
	t.Helper()
	if err := c.RegisterDeviceKey(context.Background(), key); err != nil {
		t.Fatalf("RegisterDeviceKey: %v", err)
	}
}

func jwtLogin(t *testing.T, c *plexauth.Client, key *plexauth.DeviceKey, opts ...plexauth.CallOption) string {
	t.Helper()
	tok, err := c.JWTLogin(context.Background(), key, opts...)
	if err != nil {
		t.Fatalf("JWTLogin: %v", err)
	}
	if tok.AuthToken == nil || strings.Count(*tok.AuthToken, ".") != 2 {
		t.Fatalf("JWTLogin gave no JWT: %v", tok)
	}
	return *tok.AuthToken
}

func count(t *testing.T, path string) int { return len(requests(t, path)) }

// jwtParts decodes a JWT's header and claims and its signature.
func jwtParts(t *testing.T, jwt string) (header, claims map[string]any, signed, sig []byte) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	decode := func(s string, into *map[string]any) {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("base64url: %v", err)
		}
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("JSON: %v", err)
		}
	}
	decode(parts[0], &header)
	decode(parts[1], &claims)
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	return header, claims, []byte(parts[0] + "." + parts[1]), sig
}

// publicKey is the Ed25519 public key of a JWK, checked against RFC 7638.
func publicKey(t *testing.T, key *plexauth.DeviceKey) ed25519.PublicKey {
	t.Helper()
	var jwk map[string]any
	if err := json.Unmarshal([]byte(key.JWK()), &jwk); err != nil {
		t.Fatalf("JWK %s: %v", key.JWK(), err)
	}
	for k, want := range map[string]string{"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": key.ID()} {
		if jwk[k] != want {
			t.Fatalf("JWK %s = %v, want %q", k, jwk[k], want)
		}
	}
	if _, private := jwk["d"]; private {
		t.Fatal("the JWK holds the private key")
	}
	x, _ := jwk["x"].(string)
	pub, err := base64.RawURLEncoding.DecodeString(x)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("JWK x %q: %v", x, err)
	}
	// RFC 7638: SHA-256 of the required members in lexicographic order.
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + x + `"}`))
	if got := base64.RawURLEncoding.EncodeToString(sum[:]); got != key.ID() {
		t.Fatalf("ID %q is not the RFC 7638 thumbprint %q", key.ID(), got)
	}
	return pub
}

// noSecret fails when any of the texts shows any of the secrets.
func noSecret(t *testing.T, what string, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("%s shows a secret: %q", what, text)
		}
	}
}

func signature(jwt string) string { return jwt[strings.LastIndexByte(jwt, '.')+1:] }

func TestDeviceKeyPEMSaveLoad(t *testing.T) {
	key, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	pub := publicKey(t, key)

	pemText, err := key.PEM()
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode(pemText)
	if block == nil || block.Type != "PRIVATE KEY" || len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("not one PKCS#8 PEM block")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	priv, ok := parsed.(ed25519.PrivateKey)
	if !ok || !bytes.Equal(priv.Public().(ed25519.PublicKey), pub) {
		t.Fatalf("the PEM is not the JWK's private key (%T)", parsed)
	}
	secretLine := strings.Split(string(pemText), "\n")[1] // the base64 of the key

	fromText, err := plexauth.DeviceKeyFromPEM(pemText)
	if err != nil {
		t.Fatal(err)
	}
	defer fromText.Close()
	if fromText.ID() != key.ID() || fromText.JWK() != key.JWK() {
		t.Fatalf("PEM round trip: %v != %v", fromText, key)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "device_key.pem")
	if err := key.Save(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	if onDisk, _ := os.ReadFile(path); !bytes.Equal(onDisk, pemText) {
		t.Fatal("the file is not the PEM text")
	}
	loaded, err := plexauth.LoadDeviceKey(path)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	if loaded.ID() != key.ID() {
		t.Fatalf("loaded %v, saved %v", loaded, key)
	}

	// A key file others may read is refused, as ssh does.
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	_, err = plexauth.LoadDeviceKey(path)
	e := asError(t, err, plexauth.ErrInvalidArgument)
	noSecret(t, "the error", fmt.Sprintf("%v %+v", err, *e), secretLine)
	_, err = plexauth.LoadDeviceKey(filepath.Join(dir, "missing.pem"))
	asError(t, err, plexauth.ErrTransport)

	// Load or create: made once (0600), then read.
	other := filepath.Join(dir, "sub-key.pem")
	made, created, err := plexauth.LoadOrCreateDeviceKey(other)
	if err != nil || !created {
		t.Fatalf("LoadOrCreateDeviceKey: created %v, %v", created, err)
	}
	defer made.Close()
	if st, err := os.Stat(other); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("created key file: %v %v", st.Mode(), err)
	}
	again, created, err := plexauth.LoadOrCreateDeviceKey(other)
	if err != nil || created || again.ID() != made.ID() || made.ID() == key.ID() {
		t.Fatalf("LoadOrCreateDeviceKey again: created %v, %v, %v vs %v", created, err, again, made)
	}
	again.Close()

	// Not a key; a NUL byte; a text that is not valid UTF-8.
	for _, bad := range [][]byte{[]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
		append([]byte("abc"), 0, 'd'), {0xff, 0xfe}, nil} {
		_, err := plexauth.DeviceKeyFromPEM(bad)
		asError(t, err, plexauth.ErrInvalidArgument)
	}

	// fmt shows the id, never the private key.
	for _, shown := range []string{key.String(), fmt.Sprintf("%v %+v %#v %s", key, key, key, key)} {
		noSecret(t, "fmt", shown, secretLine, string(pemText))
		if !strings.Contains(shown, key.ID()) {
			t.Fatalf("fmt: %s", shown)
		}
	}

	// Closed: the key is gone, its id and JWK stay known.
	if err := key.Close(); err != nil || key.Close() != nil {
		t.Fatal("Close is not idempotent")
	}
	_, err = key.PEM()
	asError(t, err, plexauth.ErrInvalidArgument)
	asError(t, key.Save(path+".2"), plexauth.ErrInvalidArgument)
	_, err = key.SignJWT("x", "", plexauth.DeviceJWTOptions{})
	asError(t, err, plexauth.ErrInvalidArgument)
	if key.ID() == "" || key.JWK() == "" {
		t.Fatal("the id was forgotten")
	}
	var nilKey *plexauth.DeviceKey
	_, err = nilKey.PEM()
	asError(t, err, plexauth.ErrInvalidArgument)
}

func TestDeviceKeySignJWT(t *testing.T) {
	key, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	pub := publicKey(t, key)

	before := time.Now().Unix()
	jwt, err := key.SignJWT("client-x", "nonce-123", plexauth.DeviceJWTOptions{Scope: "username,email", Lifetime: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	header, claims, signed, sig := jwtParts(t, jwt)
	if header["alg"] != "EdDSA" || header["typ"] != "JWT" || header["kid"] != key.ID() {
		t.Fatalf("header %v", header)
	}
	if !ed25519.Verify(pub, signed, sig) {
		t.Fatal("the signature does not verify with the JWK's public key")
	}
	iat, _ := claims["iat"].(float64)
	exp, _ := claims["exp"].(float64)
	if claims["iss"] != "client-x" || claims["aud"] != "plex.tv" || claims["nonce"] != "nonce-123" ||
		claims["scope"] != "username,email" || exp-iat != 60 || int64(iat) < before-1 || int64(iat) > time.Now().Unix()+1 {
		t.Fatalf("claims %v", claims)
	}

	// Defaults: no nonce claim, the default scope, 5 minutes.
	jwt, err = key.SignJWT("client-x", "", plexauth.DeviceJWTOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, claims, _, _ = jwtParts(t, jwt)
	iat, _ = claims["iat"].(float64)
	exp, _ = claims["exp"].(float64)
	if _, has := claims["nonce"]; has || claims["scope"] != "username,email,friendly_name,restricted,anonymous,joinedAt" || exp-iat != 300 {
		t.Fatalf("default claims %v", claims)
	}

	for _, bad := range []struct {
		clientID, nonce string
		o               plexauth.DeviceJWTOptions
	}{
		{"", "", plexauth.DeviceJWTOptions{}},
		{"client-x", "", plexauth.DeviceJWTOptions{Lifetime: 1500 * time.Millisecond}},
		{"client-x", "", plexauth.DeviceJWTOptions{Lifetime: 25 * time.Hour}},
		{"client-x", "", plexauth.DeviceJWTOptions{Lifetime: -time.Second}},
		{"client\r\nx", "", plexauth.DeviceJWTOptions{}},
		{"client-x", "n\x00", plexauth.DeviceJWTOptions{}},
	} {
		if _, err := key.SignJWT(bad.clientID, bad.nonce, bad.o); !errors.Is(err, plexauth.ErrInvalidArgument) {
			t.Errorf("SignJWT(%q, %q, %+v): %v", bad.clientID, bad.nonce, bad.o, err)
		}
	}
}

func TestJWTRegisterLoginVerifyAndUse(t *testing.T) {
	setup(t)
	c, key, sink := jwtDevice(t)
	ctx := context.Background()
	pub := publicKey(t, key)

	// Not registered yet: plex.tv refuses the exchange (422).
	_, err := c.JWTLogin(ctx, key)
	asError(t, err, plexauth.ErrUnauthorized)

	register(t, c, key)
	reg := requests(t, "/api/v2/auth/jwk")
	if len(reg) != 1 || reg[0].Method != "POST" || reg[0].Headers.Get("X-Plex-Token") != tokenA ||
		reg[0].Headers.Get("X-Plex-Client-Identifier") != jwtClientID ||
		!strings.HasPrefix(reg[0].Headers.Get("Content-Type"), "application/json") {
		t.Fatalf("register request: %+v", reg)
	}
	var body struct {
		JWK map[string]any `json:"jwk"`
	}
	if err := json.Unmarshal([]byte(reg[0].Body), &body); err != nil || body.JWK["kid"] != key.ID() {
		t.Fatalf("register body %s: %v", reg[0].Body, err)
	}
	if _, private := body.JWK["d"]; private {
		t.Fatal("the private key was sent")
	}

	controlDo(t, "POST", "/_fake/reset", nil) // forgets the key: register again, then count from here
	register(t, c, key)
	tok, err := c.JWTLogin(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	jwt := *tok.AuthToken
	for _, shown := range []string{tok.String(), fmt.Sprintf("%v %+v %#v", tok, tok, *tok)} {
		noSecret(t, "JwtToken's fmt", shown, jwt, signature(jwt))
	}
	nonces, exchanges := requests(t, "/api/v2/auth/nonce"), requests(t, "/api/v2/auth/token")
	if len(nonces) != 1 || len(exchanges) != 1 || nonces[0].Method != "GET" || exchanges[0].Method != "POST" {
		t.Fatalf("nonce %+v, exchange %+v", nonces, exchanges)
	}
	for _, r := range append(nonces, exchanges...) {
		if _, sent := r.Headers["X-Plex-Token"]; sent {
			t.Fatalf("%s sent a token", r.Path)
		}
	}
	var exchange struct {
		JWT string `json:"jwt"`
	}
	if err := json.Unmarshal([]byte(exchanges[0].Body), &exchange); err != nil {
		t.Fatalf("exchange body: %v", err)
	}
	header, claims, signed, sig := jwtParts(t, exchange.JWT)
	if header["kid"] != key.ID() || claims["iss"] != jwtClientID || claims["nonce"] == nil || claims["nonce"] == "" ||
		!ed25519.Verify(pub, signed, sig) {
		t.Fatalf("device JWT: %v %v", header, claims)
	}

	exp, err := c.JWTVerify(ctx, jwt, key)
	if err != nil {
		t.Fatalf("JWTVerify: %v", err)
	}
	if exp.Before(time.Now().Add(6*24*time.Hour)) || exp.After(time.Now().Add(8*24*time.Hour)) {
		t.Fatalf("expires %v, want in 7 days", exp)
	}
	if _, err := c.JWTVerify(ctx, jwt, nil); err != nil {
		t.Fatalf("JWTVerify without the key: %v", err)
	}
	_, claims, _, _ = jwtParts(t, jwt)
	if claims["thumbprint"] != key.ID() {
		t.Fatalf("Plex JWT claims %v", claims)
	}

	// The Plex JWT is the account's token with plex.tv.
	user := newClient(t, plexauth.Options{Token: jwt, NoRetry: true})
	me, err := user.GetTokenDetails(ctx)
	if err != nil {
		t.Fatalf("GetTokenDetails with the JWT: %v", err)
	}
	if me.Email == nil || *me.Email != loginA {
		t.Fatalf("account %v", me)
	}
	if sent := requests(t, "/api/v2/user"); sent[len(sent)-1].Headers.Get("X-Plex-Token") != jwt {
		t.Fatal("the JWT was not the X-Plex-Token")
	}
	if _, err := user.Ping(ctx); err != nil {
		t.Fatalf("Ping with the JWT: %v", err)
	}

	// The scope asked for is the device JWT's.
	jwtLogin(t, c, key, plexauth.WithJWTScope("username,email"))
	exchanges = requests(t, "/api/v2/auth/token")
	if err := json.Unmarshal([]byte(exchanges[len(exchanges)-1].Body), &exchange); err != nil {
		t.Fatal(err)
	}
	if _, claims, _, _ = jwtParts(t, exchange.JWT); claims["scope"] != "username,email" {
		t.Fatalf("scope %v", claims["scope"])
	}

	// No secret in the log: the legacy token, the Plex JWT, the device JWT.
	noSecret(t, "the log", sink.String(), tokenA, jwt, signature(jwt), signature(exchange.JWT))
	if sink.String() == "" {
		t.Fatal("nothing was logged")
	}
}

func TestJWTKeyRotation(t *testing.T) {
	setup(t)
	c, key, _ := jwtDevice(t)
	ctx := context.Background()
	register(t, c, key)
	old := jwtLogin(t, c, key)
	if _, err := c.JWTVerify(ctx, old, key); err != nil {
		t.Fatal(err)
	}
	if n := count(t, "/api/v2/auth/keys"); n != 1 {
		t.Fatalf("%d key set reads", n)
	}
	if _, err := c.JWTVerify(ctx, old, key); err != nil || count(t, "/api/v2/auth/keys") != 1 {
		t.Fatalf("the key set is not cached: %v", err)
	}

	// plex.tv rotates its signing key, dropping the old one: a new JWT's kid
	// is unknown to the cached set, which is read again once.
	controlDo(t, "POST", "/_fake/jwt/rotate", map[string]any{"drop_old": true})
	fresh := jwtLogin(t, c, key)
	if _, err := c.JWTVerify(ctx, fresh, key); err != nil {
		t.Fatalf("JWTVerify after the rotation: %v", err)
	}
	if n := count(t, "/api/v2/auth/keys"); n != 2 {
		t.Fatalf("%d key set reads, want 2", n)
	}
	// The old JWT's key is gone.
	_, err := c.JWTVerify(ctx, old, key)
	e := asError(t, err, plexauth.ErrJWTInvalid)
	if !strings.Contains(e.Message, "unknown_key") {
		t.Fatalf("message %q", e.Message)
	}
	noSecret(t, "the error", err.Error()+e.Message+string(e.Body), old, signature(old))
}

func TestJWTVerifyRefusesForgedJWTs(t *testing.T) {
	setup(t)
	c, key, _ := jwtDevice(t)
	ctx := context.Background()
	register(t, c, key)
	jwt := jwtLogin(t, c, key)

	dot := strings.IndexByte(jwt, '.')
	b := []byte(jwt)
	if b[dot+5] == 'A' { // the payload changes under the signature
		b[dot+5] = 'B'
	} else {
		b[dot+5] = 'A'
	}
	tampered := string(b)
	other, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for _, tc := range []struct {
		jwt    string
		key    *plexauth.DeviceKey
		checks []string
	}{
		{tampered, key, []string{"signature", "malformed"}},
		{"not.a.jwt", key, []string{"malformed"}},
		{jwt[:strings.LastIndexByte(jwt, '.')] + ".", key, []string{"signature", "malformed"}},
		{jwt, other, []string{"thumbprint"}}, // issued for another device key
	} {
		_, err := c.JWTVerify(ctx, tc.jwt, tc.key)
		e := asError(t, err, plexauth.ErrJWTInvalid)
		named := false
		for _, check := range tc.checks {
			named = named || strings.Contains(e.Message, check)
		}
		if !named {
			t.Errorf("message %q names none of %v", e.Message, tc.checks)
		}
		noSecret(t, "the error", fmt.Sprintf("%v %+v", err, *e), jwt, signature(jwt), signature(tampered))
	}
	_, err = c.JWTVerify(ctx, "", key)
	asError(t, err, plexauth.ErrInvalidArgument)
	_, err = c.JWTVerify(ctx, "a\x00b", key)
	asError(t, err, plexauth.ErrInvalidArgument)
}

func TestJWTIssuerMismatch(t *testing.T) {
	setup(t)
	c, key, _ := jwtDevice(t)
	ctx := context.Background()
	register(t, c, key)
	nonce, err := c.GetNonce(ctx)
	if err != nil || nonce.Nonce == nil {
		t.Fatalf("GetNonce: %v", err)
	}
	// iss is not the X-Plex-Client-Identifier the exchange is sent with.
	device, err := key.SignJWT("someone-else", *nonce.Nonce, plexauth.DeviceJWTOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ExchangeDeviceJWT(ctx, device)
	e := asError(t, err, plexauth.ErrJWTIssuerMismatch)
	if e.Status != plexauth.StatusJWTIssuerMismatch || len(e.PlexErrors) == 0 || e.PlexErrors[0].Code != 1097 || e.Attempts != 1 {
		t.Fatalf("error %+v", *e)
	}
	noSecret(t, "the error", fmt.Sprintf("%v %+v", err, *e), device, signature(device))

	// Signed for this client, it goes through.
	nonce, err = c.GetNonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	device, err = key.SignJWT(jwtClientID, *nonce.Nonce, plexauth.DeviceJWTOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.ExchangeDeviceJWT(ctx, device)
	if err != nil || tok.AuthToken == nil {
		t.Fatalf("ExchangeDeviceJWT: %v", err)
	}
	if _, err := c.JWTVerify(ctx, *tok.AuthToken, key); err != nil {
		t.Fatal(err)
	}
}

func TestJWTLoginCancelled(t *testing.T) {
	setup(t)
	c, key, _ := jwtDevice(t)
	register(t, c, key)
	queueFaults(t, "/api/v2/auth/nonce", fault{"delay_ms": 5000})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.JWTLogin(ctx, key)
	asError(t, err, plexauth.ErrCancelled)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v does not unwrap to the deadline", err)
	}
	if time.Since(start) > 4*time.Second {
		t.Fatalf("cancelled after %v", time.Since(start))
	}
	if n := count(t, "/api/v2/auth/token"); n != 0 {
		t.Fatalf("%d exchanges after the cancel", n)
	}
}

func TestJWTSessionRefreshesAfterExpiry(t *testing.T) {
	setup(t)
	c, key, _ := jwtDevice(t)
	ctx := context.Background()
	register(t, c, key)
	session, err := plexauth.NewJWTSession(c, key, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	if n := count(t, "/api/v2/auth/token"); n != 0 {
		t.Fatalf("%d exchanges before the first Token", n)
	}

	// Every call of a client made with the session sends its current JWT.
	user := newClient(t, plexauth.Options{JWTSession: session, NoRetry: true})
	if _, err := user.GetTokenDetails(ctx); err != nil {
		t.Fatalf("GetTokenDetails: %v", err)
	}
	first, exp, err := session.Token()
	if err != nil {
		t.Fatal(err)
	}
	if sent := requests(t, "/api/v2/user"); len(sent) != 1 || sent[0].Headers.Get("X-Plex-Token") != first {
		t.Fatal("the session's JWT was not sent")
	}
	if exp.Before(time.Now().Add(6*24*time.Hour)) || exp.After(time.Now().Add(8*24*time.Hour)) {
		t.Fatalf("expires %v", exp)
	}
	if _, err := user.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, "/api/v2/auth/token"); n != 1 {
		t.Fatalf("%d exchanges, want 1 (still fresh)", n)
	}

	// plex.tv expires it early (498): Invalidate, and the next call refreshes once.
	controlDo(t, "POST", "/_fake/jwt/expire", map[string]any{})
	controlDo(t, "POST", "/_fake/clock", map[string]any{"advance_s": 1}) // a new iat: a new JWT
	_, err = user.GetTokenDetails(ctx)
	if e := asError(t, err, plexauth.ErrTokenExpired); e.HTTPStatus != 498 {
		t.Fatalf("HTTP %d", e.HTTPStatus)
	}
	session.Invalidate()
	if _, err := user.GetTokenDetails(ctx); err != nil {
		t.Fatalf("after Invalidate: %v", err)
	}
	second, _, err := session.Token()
	if err != nil {
		t.Fatal(err)
	}
	if second == first || count(t, "/api/v2/auth/token") != 2 {
		t.Fatalf("refreshed: new %v, %d exchanges", second != first, count(t, "/api/v2/auth/token"))
	}
	if sent := requests(t, "/api/v2/user"); sent[len(sent)-1].Headers.Get("X-Plex-Token") != second {
		t.Fatal("the refreshed JWT was not sent")
	}

	// A margin larger than the lifetime left refreshes on every ask.
	controlDo(t, "POST", "/_fake/jwt/lifetime", map[string]any{"seconds": 3600})
	eager, err := plexauth.NewJWTSession(c, key, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	defer eager.Close()
	_, exp, err = eager.Token()
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(exp); d < 50*time.Minute || d > 70*time.Minute {
		t.Fatalf("expires in %v, want an hour", d)
	}
	controlDo(t, "POST", "/_fake/clock", map[string]any{"advance_s": 1})
	if _, _, err := eager.Token(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, "/api/v2/auth/token"); n != 4 {
		t.Fatalf("%d exchanges, want 4", n)
	}
	// An hour is more than a 30-minute margin: no refresh.
	lazy, err := plexauth.NewJWTSession(c, key, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer lazy.Close()
	a, _, errA := lazy.Token()
	b, _, errB := lazy.Token()
	if errA != nil || errB != nil || a != b || count(t, "/api/v2/auth/token") != 5 {
		t.Fatalf("30-minute margin: %v %v same %v, %d exchanges", errA, errB, a == b, count(t, "/api/v2/auth/token"))
	}
}

func TestJWTSessionSharedByGoroutines(t *testing.T) {
	setup(t)
	c, key, _ := jwtDevice(t)
	register(t, c, key)
	session, err := plexauth.NewJWTSession(c, key, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	user := newClient(t, plexauth.Options{JWTSession: session, NoRetry: true})

	const n = 8
	tokens := make([]string, n)
	errs := make([]error, 2*n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(2)
		go func(i int) { // the session directly
			defer wg.Done()
			<-start
			tokens[i], _, errs[i] = session.Token()
		}(i)
		go func(i int) { // through a client's calls
			defer wg.Done()
			<-start
			_, errs[n+i] = user.GetTokenDetails(context.Background())
		}(i)
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("goroutine %d: %v", i, err)
		}
	}
	for i := range tokens {
		if tokens[i] != tokens[0] {
			t.Fatalf("goroutine %d got another JWT", i)
		}
	}
	if got := count(t, "/api/v2/auth/token"); got != 1 {
		t.Fatalf("%d exchanges, want 1 for all", got)
	}
	for _, r := range requests(t, "/api/v2/user") {
		if r.Headers.Get("X-Plex-Token") != tokens[0] {
			t.Fatal("a call sent another token")
		}
	}
	if _, err := c.JWTVerify(context.Background(), tokens[0], key); err != nil {
		t.Fatal(err)
	}
}

func TestJWTSessionFailedRefreshIsEveryWaitersError(t *testing.T) {
	setup(t)
	c, key, _ := jwtDevice(t) // not registered: every exchange is refused
	session, err := plexauth.NewJWTSession(c, key, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, errs[i] = session.Token()
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		asError(t, err, plexauth.ErrUnauthorized)
	}
	if got := count(t, "/api/v2/auth/token"); got < 1 || got > len(errs) {
		t.Fatalf("%d exchanges", got)
	}
	// A client using the session fails its calls with ErrCallback, sending nothing.
	user := newClient(t, plexauth.Options{JWTSession: session, NoRetry: true})
	_, err = user.GetTokenDetails(context.Background())
	asError(t, err, plexauth.ErrCallback)
	if got := count(t, "/api/v2/user"); got != 0 {
		t.Fatalf("%d calls sent without a token", got)
	}
}

func TestJWTSessionLifetimes(t *testing.T) {
	setup(t)
	c, key, _ := jwtDevice(t)
	ctx := context.Background()
	register(t, c, key)

	// Bad arguments.
	noID := newClient(t, plexauth.Options{Token: tokenA})
	for _, bad := range []func() (*plexauth.JWTSession, error){
		func() (*plexauth.JWTSession, error) { return plexauth.NewJWTSession(noID, key, 0) },
		func() (*plexauth.JWTSession, error) { return plexauth.NewJWTSession(nil, key, 0) },
		func() (*plexauth.JWTSession, error) { return plexauth.NewJWTSession(c, nil, 0) },
		func() (*plexauth.JWTSession, error) { return plexauth.NewJWTSession(c, key, -time.Second) },
		func() (*plexauth.JWTSession, error) { return plexauth.NewJWTSession(c, key, 8*24*time.Hour) },
	} {
		if s, err := bad(); !errors.Is(err, plexauth.ErrInvalidArgument) || s != nil {
			t.Fatalf("NewJWTSession: %v", err)
		}
	}
	s, err := plexauth.NewJWTSession(c, key, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = plexauth.NewClient(plexauth.Options{JWTSession: s, TokenProvider: func() (string, error) { return "", nil }})
	asError(t, err, plexauth.ErrInvalidArgument)
	_, err = plexauth.NewClient(plexauth.Options{JWTSession: s, Port: 70000}) // fails after taking the session
	asError(t, err, plexauth.ErrInvalidArgument)

	// The session keeps its own copy of the key.
	if err := key.Close(); err != nil {
		t.Fatal(err)
	}
	user, err := plexauth.NewClient(plexauth.Options{JWTSession: s, PlexTVURL: plexTVURL, ClientsURL: plexTVURL, NoRetry: true})
	if err != nil {
		t.Fatal(err)
	}
	defer user.Close()
	if _, err := user.GetTokenDetails(ctx); err != nil {
		t.Fatalf("with the key closed: %v", err)
	}

	// Closing the session's client first hides it; the session still refreshes through it.
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetNonce(ctx)
	asError(t, err, plexauth.ErrInvalidArgument)
	if plexauth.ClientFreed(c) {
		t.Fatal("the client was freed under its session")
	}
	s.Invalidate()
	if _, _, err := s.Token(); err != nil {
		t.Fatalf("refresh through the closed client: %v", err)
	}
	if n := count(t, "/api/v2/auth/token"); n != 2 {
		t.Fatalf("%d exchanges, want 2", n)
	}

	// Closing the session while a client uses it: Token fails, the client's calls go on.
	if err := s.Close(); err != nil || s.Close() != nil {
		t.Fatal("Close is not idempotent")
	}
	_, _, err = s.Token()
	asError(t, err, plexauth.ErrInvalidArgument)
	_, err = plexauth.NewClient(plexauth.Options{JWTSession: s})
	asError(t, err, plexauth.ErrInvalidArgument)
	if plexauth.JWTSessionFreed(s) {
		t.Fatal("the session was freed under its client")
	}
	if _, err := user.Ping(ctx); err != nil {
		t.Fatalf("a client of a closed session: %v", err)
	}

	// The last user frees the session, which frees its client.
	if err := user.Close(); err != nil {
		t.Fatal(err)
	}
	if !plexauth.JWTSessionFreed(s) || !plexauth.ClientFreed(c) {
		t.Fatalf("after the last user: session freed %v, client freed %v", plexauth.JWTSessionFreed(s), plexauth.ClientFreed(c))
	}

	// Unused and closed in the usual order: freed at once.
	c2 := newClient(t, plexauth.Options{ClientID: jwtClientID})
	key2, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer key2.Close()
	s2, err := plexauth.NewJWTSession(c2, key2, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil || !plexauth.JWTSessionFreed(s2) {
		t.Fatal("an unused session was not freed by Close")
	}
	if err := c2.Close(); err != nil || !plexauth.ClientFreed(c2) {
		t.Fatal("the client was not freed by Close")
	}
}

// approveAfterPolls has the fake approve PIN id as account A once it has
// been polled polls times (bounded: 10 s); the error, if any, comes on the channel.
func approveAfterPolls(id int64, polls int) <-chan error {
	done := make(chan error, 1)
	go func() {
		path := pinPath(id)
		for i := 0; i < 1000; i++ {
			resp, err := control.Get(fakeBase + "/_fake/requests")
			if err != nil {
				done <- err
				return
			}
			var log []struct {
				Path string `json:"path"`
			}
			err = json.NewDecoder(resp.Body).Decode(&log)
			resp.Body.Close()
			if err != nil {
				done <- err
				return
			}
			n := 0
			for _, r := range log {
				if r.Path == path {
					n++
				}
			}
			if n >= polls {
				body := fmt.Sprintf(`{"id":%d,"login":%q}`, id, loginA)
				resp, err := control.Post(fakeBase+"/_fake/pins/approve", "application/json", strings.NewReader(body))
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("approve: HTTP %d", resp.StatusCode)
					}
				}
				done <- err
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		done <- fmt.Errorf("PIN %d was not polled %d times", id, polls)
	}()
	return done
}

func TestJWKPINLoginGivesAPlexJWTForTheKey(t *testing.T) {
	setup(t)
	sink := &logSink{}
	// A new device: a client identifier and a key, no token at all.
	c := newClient(t, plexauth.Options{ClientID: jwtClientID, Logger: sink.log, NoRetry: true})
	key, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	pub := publicKey(t, key)
	ctx := context.Background()

	pin, err := c.CreateJWKPINForKey(ctx, key, true)
	if err != nil {
		t.Fatalf("CreateJWKPINForKey: %v", err)
	}
	if pin.ID == nil || pin.Code == nil || len(*pin.Code) != 25 || pin.AuthToken != nil {
		t.Fatalf("pin %v", pin)
	}
	created := requests(t, "/api/v2/pins")
	if len(created) != 1 || created[0].Method != "POST" || len(created[0].Query) != 0 ||
		!strings.HasPrefix(created[0].Headers.Get("Content-Type"), "application/json") ||
		created[0].Headers.Get("X-Plex-Client-Identifier") != jwtClientID {
		t.Fatalf("create request %+v", created)
	}
	if _, sent := created[0].Headers["X-Plex-Token"]; sent {
		t.Fatal("a token was sent")
	}
	if want := `{"jwk":` + key.JWK() + `,"strong":true}`; created[0].Body != want {
		t.Fatalf("body %s, want %s", created[0].Body, want)
	}

	approved := approveAfterPolls(*pin.ID, 3)
	progress := 0
	got, err := c.WaitForJWKPIN(ctx, *pin.ID, key, plexauth.WaitOptions{
		PollInterval: 100 * time.Millisecond,
		Timeout:      10 * time.Second,
		Progress: func(code string, left time.Duration) error {
			if code != *pin.Code || left <= 0 {
				return fmt.Errorf("progress %q %v", code, left)
			}
			progress++
			return nil
		},
	})
	if aerr := <-approved; aerr != nil {
		t.Fatal(aerr)
	}
	if err != nil {
		t.Fatalf("WaitForJWKPIN: %v", err)
	}
	if got.AuthToken == nil || progress < 3 {
		t.Fatalf("approved pin %v after %d progress calls", got, progress)
	}
	jwt := *got.AuthToken
	noSecret(t, "Pin's fmt", fmt.Sprintf("%v %+v %#v", got, got, *got), jwt, signature(jwt))

	// A Plex JWT issued for this key, usable as the account's token.
	exp, err := c.JWTVerify(ctx, jwt, key)
	if err != nil {
		t.Fatalf("JWTVerify: %v", err)
	}
	if !exp.After(time.Now()) {
		t.Fatalf("expires %v", exp)
	}
	other, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = c.JWTVerify(ctx, jwt, other)
	asError(t, err, plexauth.ErrJWTInvalid)
	user := newClient(t, plexauth.Options{Token: jwt, NoRetry: true})
	if me, err := user.GetTokenDetails(ctx); err != nil || me.Email == nil || *me.Email != loginA {
		t.Fatalf("GetTokenDetails with the PIN's JWT: %v", err)
	}

	// Each poll proves the key with a device JWT in the query (one, for a short wait).
	polls := requests(t, pinPath(*pin.ID))
	if len(polls) < 4 {
		t.Fatalf("%d polls", len(polls))
	}
	device := polls[0].Query.Get("deviceJWT")
	header, claims, signed, sig := jwtParts(t, device)
	if header["kid"] != key.ID() || claims["iss"] != jwtClientID || claims["nonce"] == nil || !ed25519.Verify(pub, signed, sig) {
		t.Fatalf("device JWT %v %v", header, claims)
	}
	for _, p := range polls {
		if p.Method != "GET" || p.Query.Get("deviceJWT") != device {
			t.Fatalf("poll %+v", p)
		}
		if _, sent := p.Headers["X-Plex-Token"]; sent {
			t.Fatal("a poll sent a token")
		}
	}
	if n := count(t, "/api/v2/auth/nonce"); n != 1 {
		t.Fatalf("%d nonces", n)
	}
	logged := sink.String()
	noSecret(t, "the log", logged, device[:40], signature(device), jwt[len(jwt)-30:])
	if !strings.Contains(logged, "deviceJWT=") {
		t.Fatal("the polls were not logged")
	}

	// The approval registered the key: a session refreshes with it, no register call.
	session, err := plexauth.NewJWTSession(c, key, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()
	if _, _, err := session.Token(); err != nil {
		t.Fatalf("session after the JWK PIN: %v", err)
	}
	if n := count(t, "/api/v2/auth/jwk"); n != 0 {
		t.Fatalf("%d register calls", n)
	}
}

func TestJWKPINRefusals(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: jwtClientID, NoRetry: true})
	key, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	ctx := context.Background()

	// Bad arguments: nothing is sent.
	_, err = c.CreateJWKPINForKey(ctx, nil, false)
	asError(t, err, plexauth.ErrInvalidArgument)
	_, err = c.WaitForJWKPIN(ctx, 1, nil, plexauth.WaitOptions{})
	asError(t, err, plexauth.ErrInvalidArgument)
	_, err = c.CreateJWKPIN(ctx, "not json", false)
	asError(t, err, plexauth.ErrInvalidArgument)
	closed, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	_, err = c.CreateJWKPINForKey(ctx, closed, false)
	asError(t, err, plexauth.ErrInvalidArgument)
	_, err = c.WaitForJWKPIN(ctx, 1, closed, plexauth.WaitOptions{})
	asError(t, err, plexauth.ErrInvalidArgument)
	if n := len(requests(t, "")); n != 0 {
		t.Fatalf("%d requests sent", n)
	}

	// A 4-character PIN; polled with another key after its approval: refused, no token.
	pin, err := c.CreateJWKPINForKey(ctx, key, false)
	if err != nil {
		t.Fatal(err)
	}
	if created := requests(t, "/api/v2/pins"); created[0].Body != `{"jwk":`+key.JWK()+`}` || len(*pin.Code) != 4 {
		t.Fatalf("body %s, code %q", created[0].Body, *pin.Code)
	}
	approvePIN(t, *pin.ID, loginA)
	other, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	got, err := c.WaitForJWKPIN(ctx, *pin.ID, other, plexauth.WaitOptions{PollInterval: 100 * time.Millisecond, Timeout: 5 * time.Second})
	if got != nil {
		t.Fatalf("a PIN for another key: %v", got)
	}
	asError(t, err, plexauth.ErrUnauthorized)
	// A plain poll (no device JWT) of a JWK PIN never shows the token either.
	plain, err := c.GetPIN(ctx, *pin.ID)
	if err != nil || plain.AuthToken != nil {
		t.Fatalf("plain poll: %v, token shown %v", err, err == nil && plain.AuthToken != nil)
	}

	// Progress stops the wait: ErrCancelled, wrapping its error.
	pin, err = c.CreateJWKPINForKey(ctx, key, true)
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("the user gave up")
	_, err = c.WaitForJWKPIN(ctx, *pin.ID, key, plexauth.WaitOptions{
		PollInterval: 100 * time.Millisecond,
		Progress:     func(string, time.Duration) error { return stop },
	})
	asError(t, err, plexauth.ErrCancelled)
	if !errors.Is(err, stop) {
		t.Fatalf("%v does not wrap the progress error", err)
	}
}
