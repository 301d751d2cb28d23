package plexauth_test

// The login journeys of issue 10 (PIN login, linking a code, signing out,
// switching Plex Home users) against the fake's plex.tv.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plexauth/plexauth-go"
)

// Seeded Plex Home of account A.
const (
	homeUserProtected   = "homeuser0000uuid" // PIN homePIN
	homeUserUnprotected = "homeuser0001uuid"
	homePIN             = "1234"
)

// approvePIN has the fake approve PIN id as the account with that login.
func approvePIN(t *testing.T, id int64, login string) {
	t.Helper()
	controlDo(t, "POST", "/_fake/pins/approve", map[string]any{"id": id, "login": login})
}

func expirePIN(t *testing.T, id int64) {
	t.Helper()
	controlDo(t, "POST", "/_fake/pins/expire", map[string]any{"id": id})
}

// createPIN creates a PIN through c and checks what every PIN has.
func createPIN(t *testing.T, c *plexauth.Client, strong bool) *plexauth.Pin {
	t.Helper()
	pin, err := c.CreatePIN(context.Background(), strong)
	if err != nil {
		t.Fatalf("CreatePIN(strong=%v): %v", strong, err)
	}
	if pin.ID == nil || *pin.ID <= 0 || pin.Code == nil || pin.Raw.Status != 201 {
		t.Fatalf("pin: %v", pin)
	}
	return pin
}

// pinPath is the fake's path of PIN id.
func pinPath(id int64) string { return "/api/v2/pins/" + strconv.FormatInt(id, 10) }

func TestPINLogin(t *testing.T) {
	setup(t)
	// A client that has no token yet, as when logging in.
	c := newClient(t, plexauth.Options{ClientID: "pin-client-1", ClientName: "PIN test", NoRetry: true})
	ctx := context.Background()

	pin := createPIN(t, c, false)
	if len(*pin.Code) != 4 || pin.ExpiresIn == nil || *pin.ExpiresIn != 900 || pin.AuthToken != nil {
		t.Fatalf("4-character pin: %v", pin)
	}
	if pin.ClientIdentifier != nil && *pin.ClientIdentifier != "pin-client-1" {
		t.Fatalf("clientIdentifier %q", *pin.ClientIdentifier)
	}
	if pin.CreatedAt != nil && pin.ExpiresAt != nil && *pin.ExpiresAt-*pin.CreatedAt != 900 {
		t.Fatalf("createdAt %d, expiresAt %d", *pin.CreatedAt, *pin.ExpiresAt)
	}
	reqs := requests(t, "/api/v2/pins")
	if len(reqs) != 1 || reqs[0].Method != "POST" || reqs[0].Query.Has("strong") ||
		reqs[0].Headers.Get("X-Plex-Client-Identifier") != "pin-client-1" {
		t.Fatalf("create requests: %+v", reqs)
	}

	// Not approved yet: no token.
	polled, err := c.GetPIN(ctx, *pin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if *polled.ID != *pin.ID || *polled.Code != *pin.Code || polled.AuthToken != nil || polled.Raw.Status != 200 {
		t.Fatalf("before approval: %v", polled)
	}

	approvePIN(t, *pin.ID, loginA)
	polled, err = c.GetPIN(ctx, *pin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if polled.AuthToken == nil || *polled.AuthToken != tokenA {
		t.Fatalf("after approval: token present %v", polled.AuthToken != nil)
	}
	for _, shown := range []string{polled.String(), fmt.Sprintf("%v %+v %#v", polled, polled, *polled)} {
		if strings.Contains(shown, tokenA) || !strings.Contains(shown, "AuthToken:[redacted]") {
			t.Fatalf("shown: %s", shown)
		}
	}
	for _, r := range requests(t, pinPath(*pin.ID)) {
		if _, sent := r.Headers["X-Plex-Token"]; sent || r.Method != "GET" {
			t.Fatalf("poll request: %+v", r)
		}
	}

	// The token works.
	signedIn := newClient(t, plexauth.Options{Token: *polled.AuthToken, NoRetry: true})
	if _, err := signedIn.Ping(ctx); err != nil {
		t.Fatalf("ping with the PIN's token: %v", err)
	}
}

func TestCreateStrongPIN(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "pin-client-2", NoRetry: true})
	pin := createPIN(t, c, true)
	if len(*pin.Code) != 25 || pin.ExpiresIn == nil || *pin.ExpiresIn != 1800 {
		t.Fatalf("strong pin: %v", pin)
	}
	reqs := requests(t, "/api/v2/pins")
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	if strong, err := strconv.ParseBool(reqs[0].Query.Get("strong")); err != nil || !strong {
		t.Fatalf("strong on the wire: %q", reqs[0].Query.Get("strong"))
	}
}

func TestCreatePINNeedsClientID(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{NoRetry: true})
	pin, err := c.CreatePIN(context.Background(), false)
	if err == nil {
		t.Fatalf("created %v without a client identifier", pin)
	}
	e := asError(t, err, plexauth.ErrBadRequest)
	if e.HTTPStatus != 400 || e.Attempts != 1 {
		t.Fatalf("error: %+v", e)
	}
}

func TestPINExpired(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "pin-client-3", NoRetry: true})
	ctx := context.Background()
	pin := createPIN(t, c, false)

	check := func(what string, err error) {
		t.Helper()
		e := asError(t, err, plexauth.ErrPINExpired)
		if e.Status != plexauth.StatusPINExpired || e.Status.String() != "pin_expired" || e.HTTPStatus != 404 ||
			len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1020 || e.Attempts != 1 {
			t.Fatalf("%s: %+v", what, e)
		}
		if errors.Is(err, plexauth.ErrHTTP) || errors.Is(err, plexauth.ErrPINRequired) {
			t.Fatalf("%s: %v matches another sentinel", what, err)
		}
	}

	// Another client identifier does not see it.
	_, err := c.GetPIN(ctx, *pin.ID, plexauth.WithClientID("someone-else"))
	check("other client", err)
	// Unknown.
	_, err = c.GetPIN(ctx, *pin.ID+1000000)
	check("unknown", err)
	// Expired.
	if _, err := c.GetPIN(ctx, *pin.ID); err != nil {
		t.Fatalf("live pin: %v", err)
	}
	expirePIN(t, *pin.ID)
	_, err = c.GetPIN(ctx, *pin.ID)
	check("expired", err)
}

func TestLinkPIN(t *testing.T) {
	setup(t)
	ctx := context.Background()
	device := newClient(t, plexauth.Options{ClientID: "tv-device", NoRetry: true})
	pin := createPIN(t, device, false)

	account := newClient(t, plexauth.Options{Token: tokenA, ClientID: "phone", NoRetry: true})
	if err := account.LinkPIN(ctx, *pin.Code); err != nil {
		t.Fatalf("LinkPIN: %v", err)
	}
	reqs := requests(t, "/api/v2/pins/link")
	if len(reqs) != 1 {
		t.Fatalf("%d link requests", len(reqs))
	}
	r := reqs[0]
	form, err := url.ParseQuery(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "PUT" || form.Get("code") != *pin.Code || r.Headers.Get("X-Plex-Token") != tokenA ||
		!strings.HasPrefix(r.Headers.Get("Content-Type"), "application/x-www-form-urlencoded") {
		t.Fatalf("link request: %+v", r)
	}

	// The device's poll now gives the account's token.
	polled, err := device.GetPIN(ctx, *pin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if polled.AuthToken == nil || *polled.AuthToken != tokenA {
		t.Fatalf("after linking: token present %v", polled.AuthToken != nil)
	}

	// An expired code, a missing token, an empty code.
	other := createPIN(t, device, false)
	expirePIN(t, *other.ID)
	asError(t, account.LinkPIN(ctx, *other.Code), plexauth.ErrPINExpired)
	asError(t, device.LinkPIN(ctx, *createPIN(t, device, false).Code), plexauth.ErrUnauthorized)
	if e := asError(t, account.LinkPIN(ctx, ""), plexauth.ErrInvalidArgument); e.Attempts != 0 {
		t.Fatalf("empty code sent: %+v", e)
	}
	if e := asError(t, account.LinkPIN(ctx, "AB\x00C"), plexauth.ErrInvalidArgument); e.Attempts != 0 {
		t.Fatalf("NUL code: %+v", e)
	}
}

func TestSignOut(t *testing.T) {
	setup(t)
	ctx := context.Background()
	// A token of its own to sign out: the unprotected Home user's.
	a := newClient(t, plexauth.Options{Token: tokenA, ClientID: "signout-client", NoRetry: true})
	home, err := a.SwitchHomeUser(ctx, homeUserUnprotected, "")
	if err != nil {
		t.Fatal(err)
	}
	token := *home.AuthToken
	c := newClient(t, plexauth.Options{Token: token, ClientID: "signout-client", NoRetry: true})
	if _, err := c.Ping(ctx); err != nil {
		t.Fatalf("ping before signing out: %v", err)
	}
	if err := c.SignOut(ctx); err != nil {
		t.Fatalf("SignOut: %v", err)
	}
	reqs := requests(t, "/api/v2/users/signout")
	if len(reqs) != 1 || reqs[0].Method != "DELETE" || reqs[0].Headers.Get("X-Plex-Token") != token {
		t.Fatalf("sign-out requests: %+v", reqs)
	}
	_, err = c.Ping(ctx)
	e := asError(t, err, plexauth.ErrUnauthorized)
	if strings.Contains(e.Error(), token) || strings.Contains(string(e.Body), token) {
		t.Fatal("the token shows in the error")
	}
	// Account A's own token still works.
	if _, err := a.Ping(ctx); err != nil {
		t.Fatalf("account A after the Home user signed out: %v", err)
	}
}

func TestSignOutSeededToken(t *testing.T) {
	setup(t) // the reset after the test restores account B's token
	ctx := context.Background()
	c := newClient(t, plexauth.Options{Token: tokenB, ClientID: "signout-client-2", NoRetry: true})
	if err := c.SignOut(ctx); err != nil {
		t.Fatalf("SignOut: %v", err)
	}
	_, err := c.Ping(ctx)
	asError(t, err, plexauth.ErrUnauthorized)
	// Signing out a token plex.tv no longer accepts is unauthorized too.
	asError(t, c.SignOut(ctx), plexauth.ErrUnauthorized)
}

// logLines collects a client's log lines.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) log(_ plexauth.LogLevel, msg string) {
	l.mu.Lock()
	l.lines = append(l.lines, msg)
	l.mu.Unlock()
}

func (l *logLines) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func TestSwitchHomeUser(t *testing.T) {
	setup(t)
	ctx := context.Background()
	var logs logLines
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "home-client", Logger: logs.log})
	const wrongPIN = "8642"

	for _, pin := range []string{wrongPIN, ""} { // wrong, then missing
		acct, err := c.SwitchHomeUser(ctx, homeUserProtected, pin)
		e := asError(t, err, plexauth.ErrPINRequired)
		if acct != nil || e.Status != plexauth.StatusPINRequired || e.Status.String() != "pin_required" ||
			e.HTTPStatus != 403 || len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1041 || e.Attempts != 1 {
			t.Fatalf("pin %q: %+v", pin, e)
		}
		if pin != "" {
			for _, shown := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", err, e, e), string(e.Body), e.Message} {
				if strings.Contains(shown, pin) {
					t.Fatalf("the PIN shows in the error: %s", shown)
				}
			}
		}
	}

	acct, err := c.SwitchHomeUser(ctx, homeUserProtected, homePIN)
	if err != nil {
		t.Fatal(err)
	}
	if acct.AuthToken == nil || *acct.AuthToken == "" || *acct.AuthToken == tokenA || acct.Raw.Status != 201 {
		t.Fatalf("home user account: %v", acct)
	}
	if acct.UUID != nil && *acct.UUID != homeUserProtected {
		t.Fatalf("switched to %q", *acct.UUID)
	}
	if strings.Contains(acct.String(), *acct.AuthToken) {
		t.Fatal("the token shows in the account")
	}
	reqs := requests(t, "/api/v2/home/users/"+homeUserProtected+"/switch")
	if len(reqs) != 3 {
		t.Fatalf("%d switch requests, want 3", len(reqs))
	}
	if r := reqs[2]; r.Method != "POST" || r.Query.Get("pin") != homePIN || r.Headers.Get("X-Plex-Token") != tokenA {
		t.Fatalf("switch request: %+v", r)
	}
	if reqs[1].Query.Has("pin") {
		t.Fatalf("no PIN given, but one was sent: %v", reqs[1].Query)
	}

	// The new token is the Home user's.
	home := newClient(t, plexauth.Options{Token: *acct.AuthToken, NoRetry: true})
	if _, err := home.Ping(ctx); err != nil {
		t.Fatalf("ping as the Home user: %v", err)
	}

	// An unprotected user needs no PIN.
	if _, err := c.SwitchHomeUser(ctx, homeUserUnprotected, ""); err != nil {
		t.Fatalf("unprotected user: %v", err)
	}

	// An unknown user, a token outside the Home: 404 code 1002.
	for _, cl := range []*plexauth.Client{c, newClient(t, plexauth.Options{Token: tokenB, NoRetry: true})} {
		user := homeUserUnprotected
		if cl == c {
			user = "nosuchuser000uuid"
		}
		_, err := cl.SwitchHomeUser(ctx, user, homePIN)
		if e := asError(t, err, plexauth.ErrHTTP); e.HTTPStatus != 404 || len(e.PlexErrors) != 1 ||
			e.PlexErrors[0].Code != 1002 || strings.Contains(e.Error(), homePIN) {
			t.Fatalf("switch to %s: %+v", user, e)
		}
	}

	// The PIN never reaches the log lines (which show the requests).
	text := logs.text()
	if text == "" {
		t.Fatal("no log lines")
	}
	for _, secret := range []string{wrongPIN, homePIN, tokenA, *acct.AuthToken} {
		if strings.Contains(text, secret) {
			t.Fatalf("%q shows in the log:\n%s", secret, text)
		}
	}
}

func TestSwitchHomeUserInvalidArguments(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true})
	secretPIN := "12\x0034"
	for name, args := range map[string][2]string{
		"empty user":    {"", homePIN},
		"NUL in pin":    {homeUserProtected, secretPIN},
		"CR LF in pin":  {homeUserProtected, "98\r\n76"},
		"CR LF in user": {"a\r\nb", ""},
	} {
		_, err := c.SwitchHomeUser(ctx, args[0], args[1])
		if !errors.Is(err, plexauth.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var e *plexauth.Error
		errors.As(err, &e)
		if e.Attempts != 0 || (args[1] != "" && strings.Contains(e.Error(), args[1])) {
			t.Errorf("%s: %+v", name, e)
		}
	}
	if reqs := requests(t, ""); len(reqs) != 0 {
		t.Fatalf("invalid arguments were sent: %+v", reqs)
	}
}

func TestPINOperationsCancelled(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "cancelled"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, err := range map[string]error{
		"CreatePIN":      func() error { _, err := c.CreatePIN(ctx, false); return err }(),
		"GetPIN":         func() error { _, err := c.GetPIN(ctx, 1); return err }(),
		"LinkPIN":        c.LinkPIN(ctx, "ABCD"),
		"SignOut":        c.SignOut(ctx),
		"SwitchHomeUser": func() error { _, err := c.SwitchHomeUser(ctx, homeUserProtected, homePIN); return err }(),
	} {
		if !errors.Is(err, plexauth.ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if reqs := requests(t, ""); len(reqs) != 0 {
		t.Fatalf("cancelled calls were sent: %+v", reqs)
	}
}

// plex.tv limits PIN creation per client identifier: the 429 is retried after
// its Retry-After.
func TestCreatePINRateLimited(t *testing.T) {
	setup(t)
	controlDo(t, "POST", "/_fake/pins/limit", map[string]any{"per_client": 1, "retry_after": "1"})
	ctx := context.Background()
	once := newClient(t, plexauth.Options{ClientID: "limited-1", NoRetry: true})
	createPIN(t, once, false)
	_, err := once.CreatePIN(ctx, false)
	e := asError(t, err, plexauth.ErrRateLimited)
	if e.HTTPStatus != 429 || !e.HasRetryAfter || e.RetryAfter != time.Second || e.Attempts != 1 ||
		len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1003 {
		t.Fatalf("429: %+v", e)
	}

	retrying := newClient(t, plexauth.Options{ClientID: "limited-2"}) // fastRetry; Retry-After wins
	createPIN(t, retrying, false)
	start := time.Now()
	pin := createPIN(t, retrying, true)
	if elapsed := time.Since(start); elapsed < 900*time.Millisecond || len(*pin.Code) != 25 {
		t.Fatalf("retried after %v: %v", elapsed, pin)
	}
	if n := len(requests(t, "/api/v2/pins")); n != 2+2+1 {
		t.Fatalf("%d create requests, want 5", n)
	}
}

func TestListHomeUsers(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "home-list"})
	home, err := c.ListHomeUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if home.Raw.Status != 200 || !strings.HasPrefix(home.Raw.ContentType, "application/xml") {
		t.Fatalf("raw: %d %q", home.Raw.Status, home.Raw.ContentType)
	}
	if home.Size == nil || *home.Size != 3 || len(home.Users) != 3 {
		t.Fatalf("home: %+v", home)
	}
	byUUID := map[string]plexauth.HomeUser{}
	for _, u := range home.Users {
		byUUID[*u.UUID] = u
	}
	kid := byUUID[homeUserProtected]
	if kid.ID == nil || *kid.ID != 20000001 || *kid.Title != "Kid" || !*kid.Protected || !*kid.Restricted || *kid.Admin {
		t.Fatalf("protected user: %+v", kid)
	}
	if open := byUUID[homeUserUnprotected]; open.Protected == nil || *open.Protected {
		t.Fatalf("unprotected user: %+v", open)
	}
	if admin := byUUID["dae343c1f45beb4f"]; admin.Admin == nil || !*admin.Admin {
		t.Fatalf("admin: %+v", admin)
	}
	reqs := requests(t, "/api/home/users")
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Headers.Get("X-Plex-Token") != tokenA {
		t.Fatalf("requests: %+v", reqs)
	}
	// The flag is what switching needs.
	_, err = c.SwitchHomeUser(ctx, homeUserProtected, "")
	asError(t, err, plexauth.ErrPINRequired)

	// A DOCTYPE is refused (no entity is ever expanded).
	queueFaults(t, "/api/home/users", fault{"body": "<!DOCTYPE x [<!ENTITY a 'b'>]><MediaContainer/>",
		"content_type": "application/xml"})
	_, err = c.ListHomeUsers(ctx)
	if e := asError(t, err, plexauth.ErrMalformedResponse); !strings.Contains(e.Message, "DOCTYPE") {
		t.Fatalf("message: %q", e.Message)
	}
	stranger := newClient(t, plexauth.Options{Token: "notAValidToken000000", ClientID: "home-list", NoRetry: true})
	_, err = stranger.ListHomeUsers(ctx)
	asError(t, err, plexauth.ErrUnauthorized)
}
