package plexauth_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/plexauth/plexauth-go"
)

// expectedAccountA is the fake's account A: the body of plex-auth-api.md §7.
// withSignIn adds the sign-in-only fields.
func expectedAccountA(withSignIn bool) *plexauth.Account {
	f, tr := ptr(false), ptr(true)
	a := &plexauth.Account{
		ID: ptr[int64](13692262), UUID: ptr("dae343c1f45beb4f"), Username: ptr("Username"),
		Title: ptr("UsernameTitle"), Email: ptr("username@email.com"), FriendlyName: ptr("friendlyUsername"),
		AuthToken: ptr(tokenA), Locale: nil,
		Thumb:             ptr("https://plex.tv/users/a4f43c1ebfde43a5/avatar?c=8372075101"),
		MailingListStatus: ptr("active"), ScrobbleTypes: ptr(""), Country: ptr("US"),
		SubscriptionDescription: nil, Pin: nil, AttributionPartner: nil,
		JoinedAt: ptr[int64](1721154902), HomeSize: ptr[int64](1), MaxHomeSize: ptr[int64](15),
		RememberExpiresAt: ptr[int64](1722364046), AdsConsentReminderAt: nil, AdsConsentSetAt: nil,
		AdsConsent: nil, Anonymous: f, BackupCodesCreated: f, Confirmed: f, EmailOnlyAuth: f,
		ExperimentalFeatures: f, Guest: f, HasPassword: tr, Home: f, HomeAdmin: f, MailingListActive: f,
		Protected: f, Restricted: f, TwoFactorEnabled: f,
		Entitlements: nil, Roles: nil,
		Profile: &plexauth.Profile{
			AutoSelectAudio: tr, DefaultAudioLanguage: ptr("ja"), DefaultSubtitleLanguage: ptr("en"),
			AutoSelectSubtitle: ptr[int64](1), DefaultSubtitleAccessibility: ptr[int64](0),
			DefaultSubtitleForced: ptr[int64](0), WatchedIndicator: ptr[int64](1), MediaReviewsVisibility: ptr[int64](0),
		},
		Subscription: &plexauth.Subscription{
			Active: f, SubscribedAt: nil, Status: ptr("Inactive"), PaymentService: nil, Plan: nil,
			Features: []string{"guided-upgrade", "two-factor-authentication"},
		},
		Subscriptions: nil,
		Services: []plexauth.Service{
			{Identifier: ptr("metadata"), Endpoint: ptr("https://metadata.provider.plex.tv"),
				Token: ptr("h5z3rQxLhJ2lRyB4gN7v"), Secret: nil, Status: ptr("online")},
			{Identifier: ptr("community"), Endpoint: ptr("https://community.plex.tv"),
				Token: nil, Secret: nil, Status: ptr("online")},
		},
	}
	if withSignIn {
		a.PastSubscriptions = []plexauth.PastSubscription{{
			ID: nil, Mode: nil, RenewsAt: nil, EndsAt: ptr[int64](1556281940),
			Canceled: f, GracePeriod: f, OnHold: f, CanReactivate: f, CanUpgrade: f, CanDowngrade: f, CanConvert: f,
			Type: ptr("plexpass"), Transfer: nil, State: ptr("ended"),
			BillingPaymentMethodID: nil, BillingInternalPaymentMethod: json.RawMessage("{}"),
		}}
		a.TrialCount = 0
	}
	return a
}

// assertAccount compares every field but Raw, showing both sides as JSON.
func assertAccount(t *testing.T, got, want *plexauth.Account) {
	t.Helper()
	g := *got
	g.Raw = plexauth.RawResponse{}
	gj, _ := json.MarshalIndent(g, "", " ")
	wj, _ := json.MarshalIndent(want, "", " ")
	if string(gj) != string(wj) {
		t.Fatalf("account mismatch\n got: %s\nwant: %s", gj, wj)
	}
}

func TestVersionAndStatusNames(t *testing.T) {
	if v := plexauth.Version(); !regexp.MustCompile(`^\d+\.\d+\.\d+`).MatchString(v) {
		t.Fatalf("Version() = %q", v)
	}
	for st, name := range map[plexauth.Status]string{
		plexauth.StatusOK: "ok", plexauth.StatusTwoFactorRequired: "two_factor_required",
		plexauth.StatusHTTP: "http_error", plexauth.StatusCallback: "callback_error",
		plexauth.StatusInternal: "internal", plexauth.Status(999): "unknown",
	} {
		if got := st.String(); got != name {
			t.Errorf("Status(%d).String() = %q, want %q", int(st), got, name)
		}
	}
}

func TestGetTransientToken(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	tt, err := c.GetTransientToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tt.Token == nil || !strings.HasPrefix(*tt.Token, "transient-") {
		t.Fatalf("token = %v", tt.Token)
	}
	if tt.Raw.Status != 200 || !strings.HasPrefix(tt.Raw.ContentType, "application/json") ||
		tt.Raw.Header.Get("Content-Type") != tt.Raw.ContentType || !strings.Contains(string(tt.Raw.Body), *tt.Token) {
		t.Fatalf("raw response = %+v", tt.Raw)
	}
	reqs := requests(t, "/security/token")
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != "GET" || r.Query.Get("type") != "delegation" || r.Query.Get("scope") != "all" ||
		r.Headers.Get("X-Plex-Token") != tokenA {
		t.Fatalf("request on the wire: %+v", r)
	}

	// The transient token is accepted as X-Plex-Token by the PMS.
	c2 := newClient(t, plexauth.Options{Token: *tt.Token})
	if _, err := c2.GetSourceConnectionInformation(context.Background(), knownSource); err != nil {
		t.Fatalf("transient token rejected: %v", err)
	}
}

func TestGetTransientTokenTypeAndScope(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true})
	// Whatever the server answers, the values must be on the wire.
	_, _ = c.GetTransientToken(context.Background(),
		plexauth.WithTransientTokenType("custom type"), plexauth.WithTransientTokenScope("some&scope"))
	reqs := requests(t, "/security/token")
	if len(reqs) != 1 || reqs[0].Query.Get("type") != "custom type" || reqs[0].Query.Get("scope") != "some&scope" {
		t.Fatalf("requests: %+v", reqs)
	}
}

func TestGetSourceConnectionInformation(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	info, err := c.GetSourceConnectionInformation(context.Background(), knownSource)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name == nil || *info.Name != "Living Room" || info.AccessToken == nil || *info.AccessToken != sourceToken ||
		info.ClientIdentifier == nil || *info.ClientIdentifier == "" {
		t.Fatalf("device: name=%v token=%v id=%v", info.Name, info.AccessToken, info.ClientIdentifier)
	}
	if len(info.Connections) != 2 {
		t.Fatalf("%d connections, want 2", len(info.Connections))
	}
	local := info.Connections[0]
	if *local.Protocol != "https" || *local.Address != "10.0.0.5" || *local.Port != 32400 ||
		*local.URI != "https://10.0.0.5:32400" || !*local.Local || *local.Relay {
		t.Fatalf("local connection: %+v", local)
	}
	if relay := info.Connections[1]; relay.Relay == nil || !*relay.Relay {
		t.Fatalf("second connection is not the relay: %+v", relay)
	}
	if info.Raw.Status != 200 || !strings.Contains(string(info.Raw.Body), "Living Room") {
		t.Fatalf("raw: %d %s", info.Raw.Status, info.Raw.Body)
	}
	reqs := requests(t, "/security/resources")
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Query.Get("source") != knownSource ||
		reqs[0].Headers.Get("X-Plex-Token") != tokenA {
		t.Fatalf("requests: %+v", reqs)
	}
}

func TestGetTokenDetails(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	acct, err := c.GetTokenDetails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertAccount(t, acct, expectedAccountA(false))
	if acct.Raw.Status != 200 || !strings.HasPrefix(acct.Raw.ContentType, "application/json") ||
		!json.Valid(acct.Raw.Body) || !strings.Contains(string(acct.Raw.Body), `"friendlyUsername"`) {
		t.Fatalf("raw: %+v", acct.Raw)
	}
	reqs := requests(t, "/api/v2/user")
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Headers.Get("X-Plex-Token") != tokenA {
		t.Fatalf("requests: %+v", reqs)
	}

	// Account B, through the other token.
	cb := newClient(t, plexauth.Options{Token: tokenB})
	b, err := cb.GetTokenDetails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if *b.ID != 475829302 || *b.UUID != "a1b2c3d4e5f67890" || *b.Country != "IT" || *b.AuthToken != tokenB {
		t.Fatalf("account B: id=%v uuid=%v country=%v", *b.ID, *b.UUID, *b.Country)
	}
}

// TestRawResponseHeaders checks Raw.Header against the response the fake
// sends, and that the header values, which share one backing array, stay
// apart when a caller appends to one of them.
func TestRawResponseHeaders(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true})
	body := `{"id":7,"uuid":"u-7","username":"h","title":"H","email":"h@example.com","friendlyName":"H",` +
		`"authToken":"hTokenAAAAAAAAAAAAAA","hasPassword":true,"joinedAt":5,"twoFactorEnabled":false}`
	queueFaults(t, "/api/v2/user", fault{"status": 200, "content_type": "application/json", "body": body,
		"retry_after": "7"})
	acct, err := c.GetTokenDetails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := acct.Raw.Header
	want := map[string]string{
		"Content-Type":   "application/json",
		"Content-Length": h.Get("Content-Length"), // of the body as sent (compressed)
		"Retry-After":    "7",
	}
	if n, err := strconv.Atoi(want["Content-Length"]); err != nil || n <= 0 {
		t.Fatalf("Content-Length %q", want["Content-Length"])
	}
	for name, value := range want {
		if got := h.Values(name); len(got) != 1 || got[0] != value {
			t.Errorf("header %s = %q, want [%q]", name, got, value)
		}
	}
	if acct.Raw.ContentType != "application/json" || string(acct.Raw.Body) != body {
		t.Fatalf("raw: %q %q", acct.Raw.ContentType, acct.Raw.Body)
	}
	for name := range h {
		h[name] = append(h[name], "appended")
	}
	for name, value := range want {
		if got := h.Values(name); len(got) != 2 || got[0] != value {
			t.Errorf("after appending, header %s = %q", name, got)
		}
	}
}

func TestSignIn(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{
		Token:    "clientTokenNeverSentOnSignIn", // sign-in never sends X-Plex-Token
		ClientID: "client-id-1", ClientName: "Client Name", ClientVersion: "1.2.3",
		Platform: "Linux", DeviceNickname: "Desk",
	})
	acct, err := c.SignIn(context.Background(), plexauth.SignInRequest{
		Login: loginA, Password: passwordA, RememberMe: true,
		ClientName: "Per-request Product", DeviceNickname: "Per-request Device",
	})
	if err != nil {
		t.Fatal(err)
	}
	assertAccount(t, acct, expectedAccountA(true))
	if acct.Raw.Status != 201 {
		t.Fatalf("status %d, want 201", acct.Raw.Status)
	}
	reqs := requests(t, "/api/v2/users/signin")
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	form, err := url.ParseQuery(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	remember, _ := strconv.ParseBool(form.Get("rememberMe"))
	if r.Method != "POST" || !strings.HasPrefix(r.Headers.Get("Content-Type"), "application/x-www-form-urlencoded") ||
		form.Get("login") != loginA || form.Get("password") != passwordA || !remember || form.Has("verificationCode") {
		t.Fatalf("request on the wire: %+v", r)
	}
	if _, sent := r.Headers["X-Plex-Token"]; sent {
		t.Fatalf("sign-in sent X-Plex-Token")
	}
	for name, want := range map[string]string{
		"X-Plex-Client-Identifier": "client-id-1",
		"X-Plex-Product":           "Per-request Product",
		"X-Plex-Version":           "1.2.3",
		"X-Plex-Platform":          "Linux",
		"X-Plex-Device":            "Per-request Device",
	} {
		if got := r.Headers.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestSignInRememberMeOffAndUsername(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "client-id-1"})
	acct, err := c.SignIn(context.Background(), plexauth.SignInRequest{Login: "Username", Password: passwordA})
	if err != nil {
		t.Fatal(err)
	}
	if *acct.AuthToken != tokenA {
		t.Fatal("wrong account")
	}
	form, _ := url.ParseQuery(requests(t, "/api/v2/users/signin")[0].Body)
	if remember, err := strconv.ParseBool(form.Get("rememberMe")); err != nil || remember {
		t.Fatalf("rememberMe = %q, want a false value (always sent)", form.Get("rememberMe"))
	}
}

func TestSignInTwoFactor(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "client-id-2"})
	ctx := context.Background()
	req := plexauth.SignInRequest{Login: loginB, Password: passwordB}

	for _, code := range []string{"", "654321"} { // missing, then wrong
		req.VerificationCode = code
		_, err := c.SignIn(ctx, req)
		e := asError(t, err, plexauth.ErrTwoFactorRequired)
		if e.HTTPStatus != 401 || e.Attempts != 1 || len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1029 ||
			e.PlexErrors[0].Message != "Please enter the verification code" {
			t.Fatalf("code %q: %+v", code, e)
		}
		if strings.Contains(e.Error(), passwordB) || strings.Contains(string(e.Body), passwordB) ||
			(code != "" && strings.Contains(e.Error(), code)) {
			t.Fatalf("secret in error: %v / %s", e, e.Body)
		}
	}

	req.VerificationCode = codeB
	acct, err := c.SignIn(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if *acct.ID != 475829302 || *acct.Username != "user12345" || *acct.Country != "IT" || *acct.AuthToken != tokenB {
		t.Fatalf("account B: %v %v %v", *acct.ID, *acct.Username, *acct.Country)
	}
	reqs := requests(t, "/api/v2/users/signin")
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	first, _ := url.ParseQuery(reqs[0].Body)
	last, _ := url.ParseQuery(reqs[2].Body)
	if first.Has("verificationCode") || last.Get("verificationCode") != codeB {
		t.Fatalf("verificationCode on the wire: first %q, last %q", reqs[0].Body, reqs[2].Body)
	}
}

func TestServerSelection(t *testing.T) {
	setup(t)
	ctx := context.Background()
	port := strings.TrimPrefix(fakeBase, "http://127.0.0.1:")
	p, _ := strconv.Atoi(port)

	// Protocol / IP / Port instead of a URL.
	c := newClient(t, plexauth.Options{Token: tokenA, Protocol: "http", IP: "127.0.0.1", Port: p})
	if _, err := c.GetTransientToken(ctx); err != nil {
		t.Fatalf("protocol/ip/port: %v", err)
	}

	// Per-call server URL beats the client's, for PMS and plex.tv calls.
	dead := "http://127.0.0.1:" + strconv.Itoa(deadPort(t))
	d := newClient(t, plexauth.Options{Token: tokenA, ServerURL: dead, PlexTVURL: dead + "/api/v2", NoRetry: true})
	if _, err := d.GetTransientToken(ctx); err == nil {
		t.Fatal("dead server URL worked")
	}
	if _, err := d.GetTransientToken(ctx, plexauth.WithServerURL(fakeBase)); err != nil {
		t.Fatalf("WithServerURL (PMS): %v", err)
	}
	if _, err := d.GetSourceConnectionInformation(ctx, knownSource, plexauth.WithServerURL(fakeBase+"/")); err != nil {
		t.Fatalf("WithServerURL with a trailing slash: %v", err)
	}
	if _, err := d.GetTokenDetails(ctx, plexauth.WithServerURL(plexTVURL)); err != nil {
		t.Fatalf("WithServerURL (plex.tv): %v", err)
	}
	if _, err := d.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: passwordA, ClientID: "x"},
		plexauth.WithServerURL(plexTVURL)); err != nil {
		t.Fatalf("WithServerURL (sign-in): %v", err)
	}
}

func TestTokenProviderCalledPerAttempt(t *testing.T) {
	setup(t)
	var calls int
	tokens := []string{"attempt-one", "attempt-two", tokenA}
	c := newClient(t, plexauth.Options{TokenProvider: func() (string, error) {
		tok := tokens[calls] // one call at a time here; the race detector checks it
		calls++
		return tok, nil
	}})
	queueFaults(t, "/api/v2/user", fault{"status": 503}, fault{"status": 502})
	acct, err := c.GetTokenDetails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if *acct.AuthToken != tokenA || calls != 3 {
		t.Fatalf("calls = %d", calls)
	}
	reqs := requests(t, "/api/v2/user")
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if got := r.Headers.Get("X-Plex-Token"); got != tokens[i] {
			t.Errorf("attempt %d sent token %q, want %q", i+1, got, tokens[i])
		}
	}

	// Not called for sign-in, which sends no token.
	calls = 0
	if _, err := c.SignIn(context.Background(), plexauth.SignInRequest{Login: loginA, Password: passwordA, ClientID: "x"}); err != nil {
		t.Fatal(err)
	}
	if calls != 0 {
		t.Fatalf("provider called %d times for sign-in", calls)
	}
}

func TestTokenProviderEmptySendsNoToken(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: "ignored", TokenProvider: func() (string, error) { return "", nil }})
	_, err := c.GetTokenDetails(context.Background())
	asError(t, err, plexauth.ErrUnauthorized)
	reqs := requests(t, "/api/v2/user")
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	if _, sent := reqs[0].Headers["X-Plex-Token"]; sent {
		t.Fatal("X-Plex-Token sent although the provider gave none")
	}
}
