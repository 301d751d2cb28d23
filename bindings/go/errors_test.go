package plexauth_test

import (
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plexauth/plexauth-go"
)

func TestSentinelsMatchTheirStatusOnly(t *testing.T) {
	all := map[plexauth.Status]error{
		plexauth.StatusInvalidArgument: plexauth.ErrInvalidArgument, plexauth.StatusBadRequest: plexauth.ErrBadRequest,
		plexauth.StatusUnauthorized: plexauth.ErrUnauthorized, plexauth.StatusTwoFactorRequired: plexauth.ErrTwoFactorRequired,
		plexauth.StatusRateLimited: plexauth.ErrRateLimited, plexauth.StatusHTTP: plexauth.ErrHTTP,
		plexauth.StatusTransport: plexauth.ErrTransport, plexauth.StatusTimeout: plexauth.ErrTimeout,
		plexauth.StatusCancelled: plexauth.ErrCancelled, plexauth.StatusMalformedResponse: plexauth.ErrMalformedResponse,
		plexauth.StatusOutOfMemory: plexauth.ErrOutOfMemory, plexauth.StatusTLS: plexauth.ErrTLS,
		plexauth.StatusResponseTooLarge: plexauth.ErrResponseTooLarge, plexauth.StatusSignInThrottled: plexauth.ErrSignInThrottled,
		plexauth.StatusCallback: plexauth.ErrCallback, plexauth.StatusInternal: plexauth.ErrInternal,
		plexauth.StatusPINExpired: plexauth.ErrPINExpired, plexauth.StatusPINRequired: plexauth.ErrPINRequired,
	}
	for st := range all {
		var err error = &plexauth.Error{Status: st}
		for other, sentinel := range all {
			if got := errors.Is(err, sentinel); got != (other == st) {
				t.Errorf("errors.Is(status %v, %v) = %v", st, sentinel, got)
			}
		}
		if errors.Is(err, context.Canceled) {
			t.Errorf("status %v matches context.Canceled", st)
		}
	}
}

func TestPlexErrorStatuses(t *testing.T) {
	setup(t)
	ctx := context.Background()
	noID := newClient(t, plexauth.Options{NoRetry: true})
	withID := newClient(t, plexauth.Options{ClientID: "client-id-3", NoRetry: true})

	// 400: sign-in without X-Plex-Client-Identifier.
	_, err := noID.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: passwordA})
	e := asError(t, err, plexauth.ErrBadRequest)
	if e.HTTPStatus != 400 || len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1000 || e.PlexErrors[0].Status != 400 ||
		e.PlexErrors[0].Message == "" || !strings.HasPrefix(e.ContentType, "application/json") || e.Attempts != 1 {
		t.Fatalf("400: %+v", e)
	}

	// 401: wrong password (code 1001), with no secret in the error.
	_, err = withID.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: "not-the-password-42"})
	e = asError(t, err, plexauth.ErrUnauthorized)
	if e.HTTPStatus != 401 || len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1001 {
		t.Fatalf("wrong password: %+v", e)
	}
	if strings.Contains(e.Error(), "not-the-password-42") || strings.Contains(string(e.Body), "not-the-password-42") {
		t.Fatalf("password leaked into the error")
	}

	// 401: unknown token.
	bad := newClient(t, plexauth.Options{Token: "unknownTokenYYYYYYYY", NoRetry: true})
	_, err = bad.GetTokenDetails(ctx)
	e = asError(t, err, plexauth.ErrUnauthorized)
	if e.HTTPStatus != 401 || len(e.PlexErrors) == 0 || e.PlexErrors[0].Code != 1001 {
		t.Fatalf("bad token: %+v", e)
	}
	if _, err = bad.GetTransientToken(ctx); !errors.Is(err, plexauth.ErrUnauthorized) {
		t.Fatalf("PMS with a bad token: %v", err)
	}

	// 422: plex.tv's "invalid token" for a revoked token.
	revoked := newClient(t, plexauth.Options{Token: revokedToken, NoRetry: true})
	_, err = revoked.GetTokenDetails(ctx)
	e = asError(t, err, plexauth.ErrUnauthorized)
	if e.HTTPStatus != 422 || len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1001 ||
		e.PlexErrors[0].Message != "Invalid token" || e.PlexErrors[0].Status != 422 {
		t.Fatalf("422: %+v", e)
	}
}

func TestInjectedHTTPErrors(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "client-id-4", NoRetry: true})

	// 429 with Retry-After, not retried when retries are off.
	queueFaults(t, "/api/v2/user", fault{"status": 429, "retry_after": "7"})
	_, err := c.GetTokenDetails(ctx)
	e := asError(t, err, plexauth.ErrRateLimited)
	if e.HTTPStatus != 429 || !e.HasRetryAfter || e.RetryAfter != 7*time.Second || e.Attempts != 1 {
		t.Fatalf("429: %+v", e)
	}

	// Sign-in code 1031: throttled.
	queueFaults(t, "/api/v2/users/signin", fault{"status": 401, "content_type": "application/json",
		"body": `{"errors":[{"code":1031,"message":"Too many sign-in attempts","status":401}]}`})
	_, err = c.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: passwordA})
	e = asError(t, err, plexauth.ErrSignInThrottled)
	if e.HTTPStatus != 401 || len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1031 {
		t.Fatalf("1031: %+v", e)
	}

	// Any other HTTP error keeps status, content type and body; the client's
	// token is redacted from the body.
	queueFaults(t, "/security/token", fault{"status": 404, "content_type": "text/plain",
		"body": "no such thing for " + tokenA})
	_, err = c.GetTransientToken(ctx)
	e = asError(t, err, plexauth.ErrHTTP)
	if e.HTTPStatus != 404 || !strings.HasPrefix(e.ContentType, "text/plain") ||
		!strings.HasPrefix(string(e.Body), "no such thing for ") || e.Attempts != 1 {
		t.Fatalf("404: %+v body %q", e, e.Body)
	}
	if strings.Contains(string(e.Body), tokenA) || strings.Contains(e.Error(), tokenA) {
		t.Fatalf("token not redacted: %q", e.Body)
	}

	// A 200 that is not JSON.
	queueFaults(t, "/api/v2/user", fault{"status": 200, "body": "<html>", "content_type": "text/html"})
	_, err = c.GetTokenDetails(ctx)
	e = asError(t, err, plexauth.ErrMalformedResponse)
	if e.HTTPStatus != 200 {
		t.Fatalf("html 200: %+v", e)
	}
	// JSON with a required field of the wrong type: the message names it.
	queueFaults(t, "/api/v2/user", fault{"status": 200, "content_type": "application/json", "body": `{"id":"thirteen"}`})
	_, err = c.GetTokenDetails(ctx)
	if e = asError(t, err, plexauth.ErrMalformedResponse); !strings.Contains(e.Message, "id") {
		t.Fatalf("malformed message %q does not name the field", e.Message)
	}
}

func TestResponseTooLarge(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA, MaxResponseBytes: 1024, NoRetry: true})
	queueFaults(t, "/api/v2/user", fault{"status": 200, "content_type": "application/json",
		"body": `{"pad":"` + strings.Repeat("x", 4000) + `"}`})
	_, err := c.GetTokenDetails(context.Background())
	asError(t, err, plexauth.ErrResponseTooLarge)
	// The normal 1.9 KB account body... is above 1 KiB too, so use a roomier cap.
	c2 := newClient(t, plexauth.Options{Token: tokenA, MaxResponseBytes: 64 << 10, NoRetry: true})
	if _, err := c2.GetTokenDetails(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestRetries(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c := newClient(t, plexauth.Options{Token: tokenA})

	// 5XX are retried: two failures, then success.
	queueFaults(t, "/api/v2/user", fault{"status": 503}, fault{"status": 500})
	if _, err := c.GetTokenDetails(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(requests(t, "/api/v2/user")); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}

	// MaxAttempts caps them; the last failure is returned.
	setup(t)
	queueFaults(t, "/security/token", fault{"status": 500}, fault{"status": 502}, fault{"status": 503})
	capped := fastRetry
	capped.MaxAttempts = 2
	_, err := c.GetTransientToken(ctx, plexauth.WithRetry(capped))
	e := asError(t, err, plexauth.ErrHTTP)
	if e.Attempts != 2 || e.HTTPStatus != 502 {
		t.Fatalf("capped: attempts %d status %d", e.Attempts, e.HTTPStatus)
	}
	if n := len(requests(t, "/security/token")); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}

	// WithNoRetry turns them off for one call.
	setup(t)
	queueFaults(t, "/api/v2/user", fault{"status": 503})
	_, err = c.GetTokenDetails(ctx, plexauth.WithNoRetry())
	if e = asError(t, err, plexauth.ErrHTTP); e.Attempts != 1 || e.HTTPStatus != 503 {
		t.Fatalf("no retry: %+v", e)
	}

	// WithRetry turns them on for one call of a NoRetry client.
	setup(t)
	off := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true})
	queueFaults(t, "/api/v2/user", fault{"status": 503})
	if _, err := off.GetTokenDetails(ctx); !errors.Is(err, plexauth.ErrHTTP) {
		t.Fatalf("NoRetry client: %v", err)
	}
	queueFaults(t, "/api/v2/user", fault{"status": 503})
	if _, err := off.GetTokenDetails(ctx, plexauth.WithRetry(fastRetry)); err != nil {
		t.Fatalf("WithRetry: %v", err)
	}

	// Retry-After replaces the backoff wait.
	setup(t)
	queueFaults(t, "/api/v2/user", fault{"status": 503, "retry_after": "1"})
	start := time.Now()
	if _, err := c.GetTokenDetails(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 900*time.Millisecond || d > 5*time.Second {
		t.Fatalf("Retry-After 1 s, call took %v", d)
	}

	// Sign-in is retried after a 5XX but never after a 4XX.
	setup(t)
	queueFaults(t, "/api/v2/users/signin", fault{"status": 503})
	if _, err := c.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: passwordA, ClientID: "x"}); err != nil {
		t.Fatal(err)
	}
	queueFaults(t, "/api/v2/users/signin", fault{"status": 429})
	_, err = c.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: passwordA, ClientID: "x"})
	if e = asError(t, err, plexauth.ErrRateLimited); e.Attempts != 1 {
		t.Fatalf("sign-in 429 attempts = %d", e.Attempts)
	}
}

func TestTransportErrors(t *testing.T) {
	setup(t)
	ctx := context.Background()
	dead := "http://127.0.0.1:" + strconv.Itoa(deadPort(t))

	// Connection refused, retried when connection retries are on.
	three := fastRetry
	three.MaxAttempts = 3
	c := newClient(t, plexauth.Options{Token: tokenA, ServerURL: dead, Retry: &three})
	_, err := c.GetTransientToken(ctx)
	if e := asError(t, err, plexauth.ErrTransport); e.Attempts != 3 || e.HTTPStatus != 0 {
		t.Fatalf("refused, retried: %+v", e)
	}
	three.NoConnectionRetries = true
	_, err = c.GetTransientToken(ctx, plexauth.WithRetry(three))
	if e := asError(t, err, plexauth.ErrTransport); e.Attempts != 1 {
		t.Fatalf("refused, connection retries off: %+v", e)
	}

	// The server drops the connection.
	d := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true})
	queueFaults(t, "/api/v2/user", fault{"drop": true})
	_, err = d.GetTokenDetails(ctx)
	if e := asError(t, err, plexauth.ErrTransport); e.Attempts != 1 {
		t.Fatalf("drop: %+v", e)
	}
}

func TestTimeouts(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c := newClient(t, plexauth.Options{Token: tokenA, Timeout: 300 * time.Millisecond, ConnectTimeout: 2 * time.Second, NoRetry: true})
	queueFaults(t, "/api/v2/user", fault{"delay_ms": 3000})
	start := time.Now()
	_, err := c.GetTokenDetails(ctx)
	if e := asError(t, err, plexauth.ErrTimeout); e.Attempts != 1 {
		t.Fatalf("client timeout: %+v", e)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("timeout of 300 ms took %v", d)
	}

	// Per call: a short timeout on a patient client, and no limit on this one.
	patient := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true, Timeout: plexauth.NoLimit})
	queueFaults(t, "/api/v2/user", fault{"delay_ms": 3000})
	start = time.Now()
	_, err = patient.GetTokenDetails(ctx, plexauth.WithTimeout(200*time.Millisecond))
	asError(t, err, plexauth.ErrTimeout)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("per-call timeout of 200 ms took %v", d)
	}
	queueFaults(t, "/api/v2/user", fault{"delay_ms": 500})
	if _, err := c.GetTokenDetails(ctx, plexauth.WithTimeout(0)); err != nil {
		t.Fatalf("WithTimeout(0) (no limit) on a 300 ms client: %v", err)
	}
}

func TestTLS(t *testing.T) {
	setup(t)
	ctx := context.Background()
	// The fake speaks plain HTTP: a TLS handshake with it fails.
	https := "https://" + strings.TrimPrefix(fakeBase, "http://")
	c := newClient(t, plexauth.Options{Token: tokenA, ServerURL: https, NoRetry: true})
	_, err := c.GetTransientToken(ctx)
	asError(t, err, plexauth.ErrTLS)

	// A TLS server whose self-signed certificate is valid for 127.0.0.1.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"MediaContainer":{"size":0,"token":"tls-transient"}}`))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // rejected handshakes are expected here
	srv.StartTLS()
	defer srv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}

	// Not trusted by the system's CAs...
	untrusted := newClient(t, plexauth.Options{Token: tokenA, ServerURL: srv.URL, NoRetry: true})
	_, err = untrusted.GetTransientToken(ctx)
	asError(t, err, plexauth.ErrTLS)
	// ...trusted through CABundle...
	trusted := newClient(t, plexauth.Options{Token: tokenA, ServerURL: srv.URL, CABundle: bundle, NoRetry: true})
	tt, err := trusted.GetTransientToken(ctx)
	if err != nil || tt.Token == nil || *tt.Token != "tls-transient" {
		t.Fatalf("with CABundle: %v", err)
	}
	// ...or with verification off.
	insecure := newClient(t, plexauth.Options{Token: tokenA, ServerURL: srv.URL, InsecureSkipTLSVerify: true, NoRetry: true})
	if _, err := insecure.GetTransientToken(ctx); err != nil {
		t.Fatalf("InsecureSkipTLSVerify: %v", err)
	}
}

func TestInvalidArguments(t *testing.T) {
	setup(t)
	for name, o := range map[string]plexauth.Options{
		"token with a newline":   {Token: "abc\ndef"},
		"NUL in a client id":     {ClientID: "abc\x00def"},
		"not an http URL":        {ServerURL: "ftp://127.0.0.1/"},
		"port out of range":      {Port: 70000},
		"connect timeout > 24 h": {ConnectTimeout: 25 * time.Hour},
		"tiny response cap":      {MaxResponseBytes: 10},
		"exponent below 1":       {Retry: &plexauth.RetryPolicy{Exponent: 0.5}},
		"negative max attempts":  {Retry: &plexauth.RetryPolicy{MaxAttempts: -1}},
	} {
		c, err := plexauth.NewClient(o)
		if c != nil {
			c.Close()
		}
		e := asError(t, err, plexauth.ErrInvalidArgument)
		if strings.Contains(e.Error(), "abc") {
			t.Errorf("%s: the value leaked into the error: %v", name, e)
		}
	}

	ctx := context.Background()
	c := newClient(t, plexauth.Options{Token: tokenA})
	_, err := c.GetSourceConnectionInformation(ctx, "")
	if e := asError(t, err, plexauth.ErrInvalidArgument); e.Attempts != 0 {
		t.Fatalf("empty source: %+v", e)
	}
	_, err = c.SignIn(ctx, plexauth.SignInRequest{Login: loginA})
	asError(t, err, plexauth.ErrInvalidArgument)
	_, err = c.SignIn(ctx, plexauth.SignInRequest{Password: passwordA})
	asError(t, err, plexauth.ErrInvalidArgument)
	_, err = c.GetTransientToken(ctx, plexauth.WithServerURL("not a url"))
	asError(t, err, plexauth.ErrInvalidArgument)
	var nilCtx context.Context
	_, err = c.GetTokenDetails(nilCtx)
	asError(t, err, plexauth.ErrInvalidArgument)
	if n := len(requests(t, "")); n != 0 {
		t.Fatalf("%d requests sent for invalid calls", n)
	}
}

func TestTokenProviderFailure(t *testing.T) {
	setup(t)
	ctx := context.Background()
	failing := newClient(t, plexauth.Options{TokenProvider: func() (string, error) {
		return "", errors.New("vault is sealed")
	}})
	_, err := failing.GetTokenDetails(ctx)
	asError(t, err, plexauth.ErrCallback)

	panicking := newClient(t, plexauth.Options{TokenProvider: func() (string, error) { panic("boom") }})
	_, err = panicking.GetTransientToken(ctx)
	asError(t, err, plexauth.ErrCallback)

	invalid := newClient(t, plexauth.Options{TokenProvider: func() (string, error) { return "bad\r\ntoken", nil }})
	_, err = invalid.GetTransientToken(ctx)
	asError(t, err, plexauth.ErrCallback)

	if n := len(requests(t, "")); n != 0 {
		t.Fatalf("%d requests sent without a token", n)
	}
}
