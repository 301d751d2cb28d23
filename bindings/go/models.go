package plexauth

/*
#include <plexauth/plexauth.h>
#include "bridge.h"
*/
import "C"

import (
	"encoding/json"
	"net/http"
	"net/textproto"
	"unsafe"
)

// Results are plain Go values copied out of the library's result objects
// (which are freed before the method returns). A nil pointer field means the
// server left the field out or sent null.

// RawResponse is the HTTP response behind a result.
type RawResponse struct {
	Status      int
	ContentType string // "" when absent
	Header      http.Header
	Body        []byte
}

// TransientToken is the result of GetTransientToken.
type TransientToken struct {
	Token *string // MediaContainer.token
	Raw   RawResponse
}

// SourceInfo is the result of GetSourceConnectionInformation
// (MediaContainer.Device). Every field is nil when the PMS sent no Device.
type SourceInfo struct {
	Name             *string
	ClientIdentifier *string
	AccessToken      *string
	Connections      []Connection
	Raw              RawResponse
}

// Connection is one of a source's connections.
type Connection struct {
	Protocol *string
	Address  *string
	Port     *int64
	URI      *string
	Local    *bool // the server's LAN address
	Relay    *bool // relayed through plex.tv
}

// Account is a plex.tv account (UserPlexAccount), the result of
// GetTokenDetails and SignIn. Times are Unix seconds.
type Account struct {
	ID                      *int64
	UUID                    *string
	Username                *string
	Title                   *string
	Email                   *string
	FriendlyName            *string
	AuthToken               *string
	Locale                  *string
	Thumb                   *string
	MailingListStatus       *string // open enum: "active", "unsubscribed", ...
	ScrobbleTypes           *string
	Country                 *string
	SubscriptionDescription *string
	Pin                     *string // deprecated
	AttributionPartner      *string

	JoinedAt             *int64
	HomeSize             *int64
	MaxHomeSize          *int64
	RememberExpiresAt    *int64
	AdsConsentReminderAt *int64
	AdsConsentSetAt      *int64

	AdsConsent           *bool
	Anonymous            *bool
	BackupCodesCreated   *bool
	Confirmed            *bool
	EmailOnlyAuth        *bool
	ExperimentalFeatures *bool
	Guest                *bool
	HasPassword          *bool
	Home                 *bool
	HomeAdmin            *bool
	MailingListActive    *bool
	Protected            *bool
	Restricted           *bool
	TwoFactorEnabled     *bool

	Entitlements  []string
	Roles         []string
	Profile       *Profile
	Subscription  *Subscription
	Subscriptions []Subscription
	Services      []Service
	// PastSubscriptions and TrialCount come with SignIn only.
	PastSubscriptions []PastSubscription
	TrialCount        int

	Raw RawResponse
}

// Profile is the account's UserProfile.
type Profile struct {
	AutoSelectAudio              *bool
	DefaultAudioLanguage         *string
	DefaultSubtitleLanguage      *string
	AutoSelectSubtitle           *int64
	DefaultSubtitleAccessibility *int64
	DefaultSubtitleForced        *int64
	WatchedIndicator             *int64
	MediaReviewsVisibility       *int64
}

// Subscription is the account's subscription, or one of its subscriptions.
type Subscription struct {
	Active         *bool
	SubscribedAt   *string
	Status         *string // open enum: "Active", "Inactive", ...
	PaymentService *string
	Plan           *string
	Features       []string
}

// Service is one of the account's services.
type Service struct {
	Identifier *string
	Endpoint   *string
	Token      *string
	Secret     *string
	Status     *string // open enum: "online", "offline", ...
}

// PastSubscription is one of the account's past subscriptions (sign-in only).
type PastSubscription struct {
	ID            *string
	Mode          *string
	RenewsAt      *int64
	EndsAt        *int64
	Canceled      *bool
	GracePeriod   *bool
	OnHold        *bool
	CanReactivate *bool
	CanUpgrade    *bool
	CanDowngrade  *bool
	CanConvert    *bool
	Type          *string
	Transfer      *string
	State         *string // open enum: "ended", ...
	// BillingPaymentMethodID is billing.paymentMethodId.
	BillingPaymentMethodID *int64
	// BillingInternalPaymentMethod is billing.internalPaymentMethod, a
	// free-form JSON object; nil when absent.
	BillingInternalPaymentMethod json.RawMessage
}

// view turns the strings and optional values of one result view (bridge.h)
// into Go values. The strings are substrings of one Go copy of the view's
// text, and the *string, *int64 and *bool fields point into shared backing
// arrays, so that a result costs a few allocations instead of one or two per
// field. Appending beyond a backing array's capacity starts a new one; the
// pointers handed out before stay valid.
type view struct {
	text  string
	items []C.plexauthgo_str // C memory: valid until the view is freed
	strs  []string
	ints  []int64
	bools []bool
}

func newView(s *C.plexauthgo_strings) view {
	return view{
		text:  string(unsafe.Slice((*byte)(unsafe.Pointer(s.text)), int(s.text_len))),
		items: unsafe.Slice(s.items, int(s.item_count)),
	}
}

func (v *view) at(s C.plexauthgo_str) string {
	return v.text[s.off : s.off+s.len]
}

func (v *view) str(s C.plexauthgo_str) *string {
	if s.ok == 0 {
		return nil
	}
	v.strs = append(v.strs, v.at(s))
	return &v.strs[len(v.strs)-1]
}

func (v *view) i64(x C.plexauthgo_int) *int64 {
	if x.ok == 0 {
		return nil
	}
	v.ints = append(v.ints, int64(x.v))
	return &v.ints[len(v.ints)-1]
}

func (v *view) boolean(x C.plexauthgo_int) *bool {
	if x.ok == 0 {
		return nil
	}
	v.bools = append(v.bools, x.v != 0)
	return &v.bools[len(v.bools)-1]
}

// list gives a list of strings; an empty list is nil.
func (v *view) list(l C.plexauthgo_list) []string {
	if l.count == 0 {
		return nil
	}
	out := make([]string, l.count)
	for i, s := range v.items[l.first : l.first+l.count] {
		out[i] = v.at(s)
	}
	return out
}

func (v *view) response(r *C.plexauthgo_response) RawResponse {
	if r.ok == 0 {
		return RawResponse{}
	}
	raw := RawResponse{
		Status: int(r.status),
		Body:   make([]byte, int(r.body_len)),
	}
	if r.content_type.ok != 0 {
		raw.ContentType = v.at(r.content_type)
	}
	copy(raw.Body, unsafe.Slice((*byte)(unsafe.Pointer(r.body)), int(r.body_len)))
	// As http.Header.Add would, with the values in one backing array.
	pairs := v.items[r.headers.first : r.headers.first+r.headers.count]
	raw.Header = make(http.Header, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		name, value := textproto.CanonicalMIMEHeaderKey(v.at(pairs[i])), v.at(pairs[i+1])
		if old, ok := raw.Header[name]; ok {
			raw.Header[name] = append(old, value)
		} else {
			v.strs = append(v.strs, value)
			n := len(v.strs)
			raw.Header[name] = v.strs[n-1 : n : n]
		}
	}
	return raw
}

func transientTokenFromC(t *C.plexauthgo_transient_token) *TransientToken {
	v := newView(&t.s)
	return &TransientToken{Token: v.str(t.token), Raw: v.response(&t.raw)}
}

func sourceInfoFromC(s *C.plexauthgo_source_info) *SourceInfo {
	conns := unsafe.Slice(s.connections, int(s.connection_count))
	v := newView(&s.s)
	info := &SourceInfo{
		Name:             v.str(s.name),
		ClientIdentifier: v.str(s.client_identifier),
		AccessToken:      v.str(s.access_token),
		Raw:              v.response(&s.raw),
	}
	info.Connections = mapEach(conns, v.connection)
	return info
}

// mapEach maps each element of a C array (viewed as a slice); nil when it is
// empty, as the fields document.
func mapEach[From, To any](xs []From, f func(*From) To) []To {
	if len(xs) == 0 {
		return nil
	}
	out := make([]To, len(xs))
	for i := range xs {
		out[i] = f(&xs[i])
	}
	return out
}

// accountMem is an Account together with what its pointer fields point to,
// so that they take one allocation (lists of objects append beyond it).
type accountMem struct {
	acct         Account
	profile      Profile
	subscription Subscription
	strs         [32]string // the strings of the account, profile, subscription and headers
	ints         [12]int64
	bools        [16]bool
}

func accountFromC(a *C.plexauthgo_account) *Account {
	m := &accountMem{}
	v := newView(&a.s)
	v.strs, v.ints, v.bools = m.strs[:0], m.ints[:0], m.bools[:0]
	acct := &m.acct
	*acct = Account{
		ID:                      v.i64(a.id),
		UUID:                    v.str(a.uuid),
		Username:                v.str(a.username),
		Title:                   v.str(a.title),
		Email:                   v.str(a.email),
		FriendlyName:            v.str(a.friendly_name),
		AuthToken:               v.str(a.auth_token),
		Locale:                  v.str(a.locale),
		Thumb:                   v.str(a.thumb),
		MailingListStatus:       v.str(a.mailing_list_status),
		ScrobbleTypes:           v.str(a.scrobble_types),
		Country:                 v.str(a.country),
		SubscriptionDescription: v.str(a.subscription_description),
		Pin:                     v.str(a.pin),
		AttributionPartner:      v.str(a.attribution_partner),

		JoinedAt:             v.i64(a.joined_at),
		HomeSize:             v.i64(a.home_size),
		MaxHomeSize:          v.i64(a.max_home_size),
		RememberExpiresAt:    v.i64(a.remember_expires_at),
		AdsConsentReminderAt: v.i64(a.ads_consent_reminder_at),
		AdsConsentSetAt:      v.i64(a.ads_consent_set_at),

		AdsConsent:           v.boolean(a.ads_consent),
		Anonymous:            v.boolean(a.anonymous),
		BackupCodesCreated:   v.boolean(a.backup_codes_created),
		Confirmed:            v.boolean(a.confirmed),
		EmailOnlyAuth:        v.boolean(a.email_only_auth),
		ExperimentalFeatures: v.boolean(a.experimental_features),
		Guest:                v.boolean(a.guest),
		HasPassword:          v.boolean(a.has_password),
		Home:                 v.boolean(a.home),
		HomeAdmin:            v.boolean(a.home_admin),
		MailingListActive:    v.boolean(a.mailing_list_active),
		Protected:            v.boolean(a.protected_),
		Restricted:           v.boolean(a.restricted),
		TwoFactorEnabled:     v.boolean(a.two_factor_enabled),

		Entitlements: v.list(a.entitlements),
		Roles:        v.list(a.roles),
		TrialCount:   int(a.trial_count),
		Raw:          v.response(&a.raw),
	}
	if a.has_profile != 0 {
		p := &a.profile
		acct.Profile = &m.profile
		*acct.Profile = Profile{
			AutoSelectAudio:              v.boolean(p.auto_select_audio),
			DefaultAudioLanguage:         v.str(p.default_audio_language),
			DefaultSubtitleLanguage:      v.str(p.default_subtitle_language),
			AutoSelectSubtitle:           v.i64(p.auto_select_subtitle),
			DefaultSubtitleAccessibility: v.i64(p.default_subtitle_accessibility),
			DefaultSubtitleForced:        v.i64(p.default_subtitle_forced),
			WatchedIndicator:             v.i64(p.watched_indicator),
			MediaReviewsVisibility:       v.i64(p.media_reviews_visibility),
		}
	}
	if a.has_subscription != 0 {
		m.subscription = v.subscription(&a.subscription)
		acct.Subscription = &m.subscription
	}
	acct.Subscriptions = mapEach(unsafe.Slice(a.subscriptions, int(a.subscription_count)), v.subscription)
	acct.Services = mapEach(unsafe.Slice(a.services, int(a.service_count)), v.service)
	acct.PastSubscriptions = mapEach(unsafe.Slice(a.past_subscriptions, int(a.past_subscription_count)),
		v.pastSubscription)
	return acct
}

func (v *view) connection(c *C.plexauthgo_connection) Connection {
	return Connection{
		Protocol: v.str(c.protocol),
		Address:  v.str(c.address),
		URI:      v.str(c.uri),
		Port:     v.i64(c.port),
		Local:    v.boolean(c.local),
		Relay:    v.boolean(c.relay),
	}
}

func (v *view) service(s *C.plexauthgo_service) Service {
	return Service{
		Identifier: v.str(s.identifier),
		Endpoint:   v.str(s.endpoint),
		Token:      v.str(s.token),
		Secret:     v.str(s.secret),
		Status:     v.str(s.status),
	}
}

func (v *view) subscription(s *C.plexauthgo_subscription) Subscription {
	return Subscription{
		Active:         v.boolean(s.active),
		SubscribedAt:   v.str(s.subscribed_at),
		Status:         v.str(s.status),
		PaymentService: v.str(s.payment_service),
		Plan:           v.str(s.plan),
		Features:       v.list(s.features),
	}
}

func (v *view) pastSubscription(p *C.plexauthgo_past_subscription) PastSubscription {
	ps := PastSubscription{
		ID:                     v.str(p.id),
		Mode:                   v.str(p.mode),
		Type:                   v.str(p._type),
		Transfer:               v.str(p.transfer),
		State:                  v.str(p.state),
		RenewsAt:               v.i64(p.renews_at),
		EndsAt:                 v.i64(p.ends_at),
		BillingPaymentMethodID: v.i64(p.billing_payment_method_id),
		Canceled:               v.boolean(p.canceled),
		GracePeriod:            v.boolean(p.grace_period),
		OnHold:                 v.boolean(p.on_hold),
		CanReactivate:          v.boolean(p.can_reactivate),
		CanUpgrade:             v.boolean(p.can_upgrade),
		CanDowngrade:           v.boolean(p.can_downgrade),
		CanConvert:             v.boolean(p.can_convert),
	}
	if p.billing_internal_payment_method.ok != 0 {
		ps.BillingInternalPaymentMethod = json.RawMessage(v.at(p.billing_internal_payment_method))
	}
	return ps
}
