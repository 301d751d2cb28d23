package plexauth

/*
#include <plexauth/plexauth.h>
*/
import "C"

import (
	"encoding/json"
	"net/http"
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

func rawResponse(r *C.plexauth_response) RawResponse {
	if r == nil {
		return RawResponse{}
	}
	raw := RawResponse{
		Status:      int(C.plexauth_response_status(r)),
		ContentType: C.GoString(C.plexauth_response_content_type(r)),
		Header:      http.Header{},
	}
	for i, n := C.size_t(0), C.plexauth_response_header_count(r); i < n; i++ {
		name, value := C.plexauth_response_header_name(r, i), C.plexauth_response_header_value(r, i)
		if name != nil && value != nil {
			raw.Header.Add(C.GoString(name), C.GoString(value))
		}
	}
	var n C.size_t
	raw.Body = goBytes(C.plexauth_response_body(r, &n), n)
	return raw
}

func sourceInfoFromC(s *C.plexauth_source_info) *SourceInfo {
	info := &SourceInfo{
		Name:             goString(C.plexauth_source_info_name(s)),
		ClientIdentifier: goString(C.plexauth_source_info_client_identifier(s)),
		AccessToken:      goString(C.plexauth_source_info_access_token(s)),
		Raw:              rawResponse(C.plexauth_source_info_response(s)),
	}
	for i, n := C.size_t(0), C.plexauth_source_info_connection_count(s); i < n; i++ {
		c := C.plexauth_source_info_connection(s, i)
		if c == nil {
			continue
		}
		info.Connections = append(info.Connections, Connection{
			Protocol: goString(C.plexauth_connection_protocol(c)),
			Address:  goString(C.plexauth_connection_address(c)),
			URI:      goString(C.plexauth_connection_uri(c)),
			Port:     optInt64(func(o *C.int64_t) C.int { return C.plexauth_connection_port(c, o) }),
			Local:    optBool(func(o *C.int) C.int { return C.plexauth_connection_local(c, o) }),
			Relay:    optBool(func(o *C.int) C.int { return C.plexauth_connection_relay(c, o) }),
		})
	}
	return info
}

func accountFromC(a *C.plexauth_account) *Account {
	acct := &Account{
		ID:                      optInt64(func(o *C.int64_t) C.int { return C.plexauth_account_id(a, o) }),
		UUID:                    goString(C.plexauth_account_uuid(a)),
		Username:                goString(C.plexauth_account_username(a)),
		Title:                   goString(C.plexauth_account_title(a)),
		Email:                   goString(C.plexauth_account_email(a)),
		FriendlyName:            goString(C.plexauth_account_friendly_name(a)),
		AuthToken:               goString(C.plexauth_account_auth_token(a)),
		Locale:                  goString(C.plexauth_account_locale(a)),
		Thumb:                   goString(C.plexauth_account_thumb(a)),
		MailingListStatus:       goString(C.plexauth_account_mailing_list_status(a)),
		ScrobbleTypes:           goString(C.plexauth_account_scrobble_types(a)),
		Country:                 goString(C.plexauth_account_country(a)),
		SubscriptionDescription: goString(C.plexauth_account_subscription_description(a)),
		Pin:                     goString(C.plexauth_account_pin(a)),
		AttributionPartner:      goString(C.plexauth_account_attribution_partner(a)),

		JoinedAt:             optInt64(func(o *C.int64_t) C.int { return C.plexauth_account_joined_at(a, o) }),
		HomeSize:             optInt64(func(o *C.int64_t) C.int { return C.plexauth_account_home_size(a, o) }),
		MaxHomeSize:          optInt64(func(o *C.int64_t) C.int { return C.plexauth_account_max_home_size(a, o) }),
		RememberExpiresAt:    optInt64(func(o *C.int64_t) C.int { return C.plexauth_account_remember_expires_at(a, o) }),
		AdsConsentReminderAt: optInt64(func(o *C.int64_t) C.int { return C.plexauth_account_ads_consent_reminder_at(a, o) }),
		AdsConsentSetAt:      optInt64(func(o *C.int64_t) C.int { return C.plexauth_account_ads_consent_set_at(a, o) }),

		AdsConsent:           optBool(func(o *C.int) C.int { return C.plexauth_account_ads_consent(a, o) }),
		Anonymous:            optBool(func(o *C.int) C.int { return C.plexauth_account_anonymous(a, o) }),
		BackupCodesCreated:   optBool(func(o *C.int) C.int { return C.plexauth_account_backup_codes_created(a, o) }),
		Confirmed:            optBool(func(o *C.int) C.int { return C.plexauth_account_confirmed(a, o) }),
		EmailOnlyAuth:        optBool(func(o *C.int) C.int { return C.plexauth_account_email_only_auth(a, o) }),
		ExperimentalFeatures: optBool(func(o *C.int) C.int { return C.plexauth_account_experimental_features(a, o) }),
		Guest:                optBool(func(o *C.int) C.int { return C.plexauth_account_guest(a, o) }),
		HasPassword:          optBool(func(o *C.int) C.int { return C.plexauth_account_has_password(a, o) }),
		Home:                 optBool(func(o *C.int) C.int { return C.plexauth_account_home(a, o) }),
		HomeAdmin:            optBool(func(o *C.int) C.int { return C.plexauth_account_home_admin(a, o) }),
		MailingListActive:    optBool(func(o *C.int) C.int { return C.plexauth_account_mailing_list_active(a, o) }),
		Protected:            optBool(func(o *C.int) C.int { return C.plexauth_account_protected(a, o) }),
		Restricted:           optBool(func(o *C.int) C.int { return C.plexauth_account_restricted(a, o) }),
		TwoFactorEnabled:     optBool(func(o *C.int) C.int { return C.plexauth_account_two_factor_enabled(a, o) }),

		Entitlements: stringList(C.plexauth_account_entitlement_count(a),
			func(i C.size_t) *C.char { return C.plexauth_account_entitlement(a, i) }),
		Roles: stringList(C.plexauth_account_role_count(a),
			func(i C.size_t) *C.char { return C.plexauth_account_role(a, i) }),
		TrialCount: int(C.plexauth_account_trial_count(a)),
		Raw:        rawResponse(C.plexauth_account_response(a)),
	}
	if p := C.plexauth_account_profile(a); p != nil {
		acct.Profile = profileFromC(p)
	}
	if s := C.plexauth_account_subscription(a); s != nil {
		acct.Subscription = subscriptionFromC(s)
	}
	for i, n := C.size_t(0), C.plexauth_account_subscriptions_count(a); i < n; i++ {
		if s := C.plexauth_account_subscriptions_at(a, i); s != nil {
			acct.Subscriptions = append(acct.Subscriptions, *subscriptionFromC(s))
		}
	}
	for i, n := C.size_t(0), C.plexauth_account_service_count(a); i < n; i++ {
		if s := C.plexauth_account_service(a, i); s != nil {
			acct.Services = append(acct.Services, Service{
				Identifier: goString(C.plexauth_service_identifier(s)),
				Endpoint:   goString(C.plexauth_service_endpoint(s)),
				Token:      goString(C.plexauth_service_token(s)),
				Secret:     goString(C.plexauth_service_secret(s)),
				Status:     goString(C.plexauth_service_status(s)),
			})
		}
	}
	for i, n := C.size_t(0), C.plexauth_account_past_subscription_count(a); i < n; i++ {
		if p := C.plexauth_account_past_subscription(a, i); p != nil {
			acct.PastSubscriptions = append(acct.PastSubscriptions, *pastSubscriptionFromC(p))
		}
	}
	return acct
}

func profileFromC(p *C.plexauth_profile) *Profile {
	return &Profile{
		AutoSelectAudio:         optBool(func(o *C.int) C.int { return C.plexauth_profile_auto_select_audio(p, o) }),
		DefaultAudioLanguage:    goString(C.plexauth_profile_default_audio_language(p)),
		DefaultSubtitleLanguage: goString(C.plexauth_profile_default_subtitle_language(p)),
		AutoSelectSubtitle: optInt64(func(o *C.int64_t) C.int {
			return C.plexauth_profile_auto_select_subtitle(p, o)
		}),
		DefaultSubtitleAccessibility: optInt64(func(o *C.int64_t) C.int {
			return C.plexauth_profile_default_subtitle_accessibility(p, o)
		}),
		DefaultSubtitleForced: optInt64(func(o *C.int64_t) C.int {
			return C.plexauth_profile_default_subtitle_forced(p, o)
		}),
		WatchedIndicator: optInt64(func(o *C.int64_t) C.int {
			return C.plexauth_profile_watched_indicator(p, o)
		}),
		MediaReviewsVisibility: optInt64(func(o *C.int64_t) C.int {
			return C.plexauth_profile_media_reviews_visibility(p, o)
		}),
	}
}

func subscriptionFromC(s *C.plexauth_subscription) *Subscription {
	return &Subscription{
		Active:         optBool(func(o *C.int) C.int { return C.plexauth_subscription_active(s, o) }),
		SubscribedAt:   goString(C.plexauth_subscription_subscribed_at(s)),
		Status:         goString(C.plexauth_subscription_status(s)),
		PaymentService: goString(C.plexauth_subscription_payment_service(s)),
		Plan:           goString(C.plexauth_subscription_plan(s)),
		Features: stringList(C.plexauth_subscription_feature_count(s),
			func(i C.size_t) *C.char { return C.plexauth_subscription_feature(s, i) }),
	}
}

func pastSubscriptionFromC(p *C.plexauth_past_subscription) *PastSubscription {
	ps := &PastSubscription{
		ID:       goString(C.plexauth_past_subscription_id(p)),
		Mode:     goString(C.plexauth_past_subscription_mode(p)),
		Type:     goString(C.plexauth_past_subscription_type(p)),
		Transfer: goString(C.plexauth_past_subscription_transfer(p)),
		State:    goString(C.plexauth_past_subscription_state(p)),
		RenewsAt: optInt64(func(o *C.int64_t) C.int {
			return C.plexauth_past_subscription_renews_at(p, o)
		}),
		EndsAt: optInt64(func(o *C.int64_t) C.int {
			return C.plexauth_past_subscription_ends_at(p, o)
		}),
		BillingPaymentMethodID: optInt64(func(o *C.int64_t) C.int {
			return C.plexauth_past_subscription_billing_payment_method_id(p, o)
		}),
		Canceled: optBool(func(o *C.int) C.int {
			return C.plexauth_past_subscription_canceled(p, o)
		}),
		GracePeriod: optBool(func(o *C.int) C.int {
			return C.plexauth_past_subscription_grace_period(p, o)
		}),
		OnHold: optBool(func(o *C.int) C.int {
			return C.plexauth_past_subscription_on_hold(p, o)
		}),
		CanReactivate: optBool(func(o *C.int) C.int {
			return C.plexauth_past_subscription_can_reactivate(p, o)
		}),
		CanUpgrade: optBool(func(o *C.int) C.int {
			return C.plexauth_past_subscription_can_upgrade(p, o)
		}),
		CanDowngrade: optBool(func(o *C.int) C.int {
			return C.plexauth_past_subscription_can_downgrade(p, o)
		}),
		CanConvert: optBool(func(o *C.int) C.int {
			return C.plexauth_past_subscription_can_convert(p, o)
		}),
	}
	if m := C.plexauth_past_subscription_billing_internal_payment_method(p); m != nil {
		ps.BillingInternalPaymentMethod = json.RawMessage(C.GoString(m))
	}
	return ps
}
