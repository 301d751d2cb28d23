package plexauth_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/plexauth/plexauth-go"
)

// richAccount sets every field of UserPlexAccount to a distinct, non-null
// value, so that a getter mapped to the wrong Go field shows up.
const richAccount = `{
 "id":1,"uuid":"u-1","username":"rich","title":"Rich Title","email":"rich@example.com","friendlyName":"Rich F",
 "authToken":"richTokenAAAAAAAAAAA","locale":"it-IT","thumb":"https://example.com/t.png",
 "mailingListStatus":"unsubscribed","scrobbleTypes":"1,2","country":"DE","subscriptionDescription":"Plex Pass",
 "pin":"hashedpin","attributionPartner":"partnerX",
 "joinedAt":100,"homeSize":3,"maxHomeSize":16,"rememberExpiresAt":200,
 "adsConsentReminderAt":300,"adsConsentSetAt":"2021-04-12T18:21:12Z",
 "adsConsent":true,"anonymous":false,"backupCodesCreated":true,"confirmed":true,"emailOnlyAuth":false,
 "experimentalFeatures":true,"guest":false,"hasPassword":true,"home":true,"homeAdmin":false,
 "mailingListActive":true,"protected":false,"restricted":true,"twoFactorEnabled":true,
 "entitlements":["all","ios"],"roles":["plexpass"],
 "profile":{"autoSelectAudio":false,"defaultAudioLanguage":"de","defaultSubtitleLanguage":null,
   "autoSelectSubtitle":2,"defaultSubtitleAccessibility":3,"defaultSubtitleForced":1,"watchedIndicator":0,
   "mediaReviewsVisibility":4},
 "subscription":{"active":true,"subscribedAt":"2021-04-12T18:21:12Z","status":"Active","paymentService":"braintree",
   "plan":"lifetime","features":["webhooks"]},
 "subscriptions":[{"active":true,"status":"Active","plan":"monthly","features":["a","b"]},{"active":false,"status":"Lapsed"}],
 "services":[{"identifier":"epg","endpoint":"https://epg.provider.plex.tv","token":"svcTok","secret":"svcSecret",
   "status":"degraded"}],
 "pastSubscriptions":[{"id":"ps-1","mode":"renew","renewsAt":400,"endsAt":500,
   "billing":{"paymentMethodId":42,"internalPaymentMethod":{"kind":"card","last4":"1234"}},
   "canceled":true,"gracePeriod":false,"onHold":true,"canReactivate":false,"canUpgrade":true,"canDowngrade":false,
   "canConvert":true,"type":"plexpass","transfer":"none","state":"active"}],
 "trials":[{},{}]
}`

func TestEveryAccountField(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "x", NoRetry: true})
	queueFaults(t, "/api/v2/users/signin", fault{"status": 201, "content_type": "application/json", "body": richAccount})
	got, err := c.SignIn(context.Background(), plexauth.SignInRequest{Login: loginA, Password: passwordA})
	if err != nil {
		t.Fatal(err)
	}
	tr, f := ptr(true), ptr(false)
	want := &plexauth.Account{
		ID: ptr[int64](1), UUID: ptr("u-1"), Username: ptr("rich"), Title: ptr("Rich Title"),
		Email: ptr("rich@example.com"), FriendlyName: ptr("Rich F"), AuthToken: ptr("richTokenAAAAAAAAAAA"),
		Locale: ptr("it-IT"), Thumb: ptr("https://example.com/t.png"), MailingListStatus: ptr("unsubscribed"),
		ScrobbleTypes: ptr("1,2"), Country: ptr("DE"), SubscriptionDescription: ptr("Plex Pass"),
		Pin: ptr("hashedpin"), AttributionPartner: ptr("partnerX"),
		JoinedAt: ptr[int64](100), HomeSize: ptr[int64](3), MaxHomeSize: ptr[int64](16),
		RememberExpiresAt: ptr[int64](200), AdsConsentReminderAt: ptr[int64](300),
		AdsConsentSetAt: ptr[int64](1618251672), // ISO-8601 on the wire
		AdsConsent:      tr, Anonymous: f, BackupCodesCreated: tr, Confirmed: tr, EmailOnlyAuth: f,
		ExperimentalFeatures: tr, Guest: f, HasPassword: tr, Home: tr, HomeAdmin: f, MailingListActive: tr,
		Protected: f, Restricted: tr, TwoFactorEnabled: tr,
		Entitlements: []string{"all", "ios"}, Roles: []string{"plexpass"},
		Profile: &plexauth.Profile{
			AutoSelectAudio: f, DefaultAudioLanguage: ptr("de"), DefaultSubtitleLanguage: nil,
			AutoSelectSubtitle: ptr[int64](2), DefaultSubtitleAccessibility: ptr[int64](3),
			DefaultSubtitleForced: ptr[int64](1), WatchedIndicator: ptr[int64](0), MediaReviewsVisibility: ptr[int64](4),
		},
		Subscription: &plexauth.Subscription{
			Active: tr, SubscribedAt: ptr("2021-04-12T18:21:12Z"), Status: ptr("Active"),
			PaymentService: ptr("braintree"), Plan: ptr("lifetime"), Features: []string{"webhooks"},
		},
		Subscriptions: []plexauth.Subscription{
			{Active: tr, Status: ptr("Active"), Plan: ptr("monthly"), Features: []string{"a", "b"}},
			{Active: f, Status: ptr("Lapsed")},
		},
		Services: []plexauth.Service{{
			Identifier: ptr("epg"), Endpoint: ptr("https://epg.provider.plex.tv"), Token: ptr("svcTok"),
			Secret: ptr("svcSecret"), Status: ptr("degraded"),
		}},
		PastSubscriptions: []plexauth.PastSubscription{{
			ID: ptr("ps-1"), Mode: ptr("renew"), RenewsAt: ptr[int64](400), EndsAt: ptr[int64](500),
			Canceled: tr, GracePeriod: f, OnHold: tr, CanReactivate: f, CanUpgrade: tr, CanDowngrade: f, CanConvert: tr,
			Type: ptr("plexpass"), Transfer: ptr("none"), State: ptr("active"),
			BillingPaymentMethodID:       ptr[int64](42),
			BillingInternalPaymentMethod: json.RawMessage(`{"kind":"card","last4":"1234"}`),
		}},
		TrialCount: 2,
	}
	assertAccount(t, got, want)
	if got.Raw.Status != 201 || string(got.Raw.Body) != richAccount {
		t.Fatalf("raw: %d, body %d bytes", got.Raw.Status, len(got.Raw.Body))
	}
}

func TestAbsentFields(t *testing.T) {
	setup(t)
	ctx := context.Background()
	c := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true})

	// Only the fields the library requires: everything else is nil.
	queueFaults(t, "/api/v2/user", fault{"status": 200, "content_type": "application/json", "body": `{
		"id":7,"uuid":"u-7","username":"min","title":"Min","email":"min@example.com","friendlyName":"M",
		"authToken":"minTokenAAAAAAAAAAAA","hasPassword":false,"joinedAt":5,"twoFactorEnabled":false,
		"locale":null,"profile":null,"services":[]}`})
	got, err := c.GetTokenDetails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	assertAccount(t, got, &plexauth.Account{
		ID: ptr[int64](7), UUID: ptr("u-7"), Username: ptr("min"), Title: ptr("Min"), Email: ptr("min@example.com"),
		FriendlyName: ptr("M"), AuthToken: ptr("minTokenAAAAAAAAAAAA"), HasPassword: ptr(false), JoinedAt: ptr[int64](5),
		TwoFactorEnabled: ptr(false),
	})

	// A required field missing is malformed, and the message names it.
	queueFaults(t, "/api/v2/user", fault{"status": 200, "content_type": "application/json", "body": `{"id":7}`})
	_, err = c.GetTokenDetails(ctx)
	asError(t, err, plexauth.ErrMalformedResponse)

	// A PMS answer without Device / token is still a success.
	queueFaults(t, "/security/resources", fault{"status": 200, "content_type": "application/json",
		"body": `{"MediaContainer":{"size":0}}`})
	info, err := c.GetSourceConnectionInformation(ctx, knownSource)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != nil || info.ClientIdentifier != nil || info.AccessToken != nil || info.Connections != nil {
		t.Fatalf("source info without a Device: %+v", info)
	}
	queueFaults(t, "/security/token", fault{"status": 200, "content_type": "application/json",
		"body": `{"MediaContainer":{"size":0}}`})
	tt, err := c.GetTransientToken(ctx)
	if err != nil || tt.Token != nil {
		t.Fatalf("transient token without a token: %v %v", tt, err)
	}

	// An unknown source is a 404 from the PMS.
	_, err = c.GetSourceConnectionInformation(ctx, "server://unknown")
	if e := asError(t, err, plexauth.ErrHTTP); e.HTTPStatus != 404 {
		t.Fatalf("unknown source: %+v", e)
	}
}

// TestBooleanFieldMapping gives the boolean fields the bit patterns of their
// index over several responses, so that any two getters swapped differ in
// at least one response.
func TestBooleanFieldMapping(t *testing.T) {
	setup(t)
	type acctBool = func(*plexauth.Account) *bool
	type pastBool = func(*plexauth.PastSubscription) *bool
	accountBools := []struct {
		wire string
		get  acctBool
	}{
		{"adsConsent", func(a *plexauth.Account) *bool { return a.AdsConsent }},
		{"anonymous", func(a *plexauth.Account) *bool { return a.Anonymous }},
		{"backupCodesCreated", func(a *plexauth.Account) *bool { return a.BackupCodesCreated }},
		{"confirmed", func(a *plexauth.Account) *bool { return a.Confirmed }},
		{"emailOnlyAuth", func(a *plexauth.Account) *bool { return a.EmailOnlyAuth }},
		{"experimentalFeatures", func(a *plexauth.Account) *bool { return a.ExperimentalFeatures }},
		{"guest", func(a *plexauth.Account) *bool { return a.Guest }},
		{"hasPassword", func(a *plexauth.Account) *bool { return a.HasPassword }},
		{"home", func(a *plexauth.Account) *bool { return a.Home }},
		{"homeAdmin", func(a *plexauth.Account) *bool { return a.HomeAdmin }},
		{"mailingListActive", func(a *plexauth.Account) *bool { return a.MailingListActive }},
		{"protected", func(a *plexauth.Account) *bool { return a.Protected }},
		{"restricted", func(a *plexauth.Account) *bool { return a.Restricted }},
		{"twoFactorEnabled", func(a *plexauth.Account) *bool { return a.TwoFactorEnabled }},
	}
	pastBools := []struct {
		wire string
		get  pastBool
	}{
		{"canceled", func(p *plexauth.PastSubscription) *bool { return p.Canceled }},
		{"gracePeriod", func(p *plexauth.PastSubscription) *bool { return p.GracePeriod }},
		{"onHold", func(p *plexauth.PastSubscription) *bool { return p.OnHold }},
		{"canReactivate", func(p *plexauth.PastSubscription) *bool { return p.CanReactivate }},
		{"canUpgrade", func(p *plexauth.PastSubscription) *bool { return p.CanUpgrade }},
		{"canDowngrade", func(p *plexauth.PastSubscription) *bool { return p.CanDowngrade }},
		{"canConvert", func(p *plexauth.PastSubscription) *bool { return p.CanConvert }},
	}
	c := newClient(t, plexauth.Options{ClientID: "x", NoRetry: true})
	for bit := 0; bit < 4; bit++ {
		var body map[string]any
		if err := json.Unmarshal([]byte(richAccount), &body); err != nil {
			t.Fatal(err)
		}
		for i, b := range accountBools {
			body[b.wire] = i>>bit&1 == 1
		}
		past := body["pastSubscriptions"].([]any)[0].(map[string]any)
		for i, b := range pastBools {
			past[b.wire] = i>>bit&1 == 1
		}
		text, _ := json.Marshal(body)
		queueFaults(t, "/api/v2/users/signin", fault{"status": 201, "content_type": "application/json", "body": string(text)})
		a, err := c.SignIn(context.Background(), plexauth.SignInRequest{Login: loginA, Password: passwordA})
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range accountBools {
			if v := b.get(a); v == nil || *v != (i>>bit&1 == 1) {
				t.Errorf("round %d: %s = %s", bit, b.wire, showBool(v))
			}
		}
		for i, b := range pastBools {
			if v := b.get(&a.PastSubscriptions[0]); v == nil || *v != (i>>bit&1 == 1) {
				t.Errorf("round %d: pastSubscriptions[0].%s = %s", bit, b.wire, showBool(v))
			}
		}
	}
}

func showBool(b *bool) string {
	if b == nil {
		return "absent"
	}
	return strconv.FormatBool(*b)
}
