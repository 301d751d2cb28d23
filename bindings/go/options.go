package plexauth

/*
#include <stdlib.h>
#include <plexauth/plexauth.h>
#include "bridge.h"
*/
import "C"

import (
	"runtime/cgo"
	"time"
)

// Options configure a Client. The zero value of every field means "the
// library's default" (see plexauth.h): no token, no identity headers, PMS
// https://10.10.10.47:32400, plex.tv https://plex.tv/api/v2, connect timeout
// 10 s, per-attempt timeout 30 s, the default retry policy, 8 MiB responses,
// the system's CA bundle, no logging.
type Options struct {
	// Token is sent as X-Plex-Token (not on sign-in).
	Token string
	// TokenProvider, when set, replaces Token: it is called once per HTTP
	// attempt, possibly from several goroutines at once. Returning "" sends no
	// token; returning an error fails the call with ErrCallback.
	TokenProvider func() (string, error)
	// JWTSession, when set, replaces Token: every HTTP attempt sends the
	// session's current Plex JWT (refreshed as needed, one refresh for many
	// goroutines; plexauth_jwt_session_provider, no Go callback). The client
	// keeps the session alive until it is closed, even when the session is
	// closed first. Not together with TokenProvider.
	JWTSession *JWTSession

	ClientID       string // X-Plex-Client-Identifier; one stable value per installation
	ClientName     string // X-Plex-Product
	ClientVersion  string // X-Plex-Version
	Platform       string // X-Plex-Platform
	DeviceNickname string // X-Plex-Device
	DeviceName     string // X-Plex-Device-Name; the name in the account's device list

	// ServerURL is the PMS base URL, e.g. "http://127.0.0.1:32400". When set,
	// Protocol, IP and Port are ignored.
	ServerURL string
	Protocol  string // "http" or "https"
	IP        string // host name or IP address
	Port      int    // 1..65535
	// PlexTVURL is the plex.tv API base, default "https://plex.tv/api/v2".
	PlexTVURL string
	// ClientsURL is the clients.plex.tv API base, default
	// "https://clients.plex.tv/api/v2".
	ClientsURL string

	// ConnectTimeout and Timeout (per HTTP attempt): 0 keeps the default,
	// NoLimit disables the limit.
	ConnectTimeout time.Duration
	Timeout        time.Duration
	// Retry replaces the default retry policy; NoRetry disables retries (and
	// wins over Retry).
	Retry   *RetryPolicy
	NoRetry bool
	// MaxResponseBytes caps a response body (1 KiB .. 1 GiB); 0 keeps 8 MiB.
	MaxResponseBytes int
	// CABundle is the path of a PEM CA bundle used to verify HTTPS servers.
	CABundle string
	// InsecureSkipTLSVerify disables TLS verification. Dangerous.
	InsecureSkipTLSVerify bool
	// IgnoreEnvProxy makes the client ignore the proxy environment variables
	// (http_proxy, https_proxy, all_proxy, no_proxy); by default they apply.
	IgnoreEnvProxy bool
	// ResolvePlexDirectByDNS turns off pinning of a-b-c-d.<hash>.plex.direct
	// hosts to the address they encode (on by default: no DNS lookup, which
	// routers with DNS-rebinding protection break; TLS is still verified).
	ResolvePlexDirectByDNS bool

	// Logger receives the library's log lines, already redacted. It is called
	// on the goroutine performing a request, possibly from several at once,
	// and must not call back into the same Client.
	Logger func(level LogLevel, msg string)
	// LogLevel is the most verbose level passed to Logger; 0 means LogDebug.
	LogLevel LogLevel
}

// RetryPolicy controls retries with exponential backoff. Zero fields keep the
// library's defaults: InitialInterval 500 ms, MaxInterval 60 s, Exponent 1.5,
// MaxElapsed 5 min, MaxAttempts 0 (no cap), connection errors and timeouts
// retried.
//
// The wait before retry n is min(MaxInterval, InitialInterval*Exponent^n*(1+j)),
// j in [0, 0.25); a Retry-After header (429 or 503) replaces it. Retried: HTTP
// 5XX, 429 on GET operations, connection errors and timeouts. Sign-in is never
// retried after a 4XX.
type RetryPolicy struct {
	InitialInterval time.Duration
	MaxInterval     time.Duration
	Exponent        float64
	MaxElapsed      time.Duration
	// MaxAttempts is the total number of attempts, the first included.
	MaxAttempts int
	// NoConnectionRetries stops retrying connection errors and timeouts.
	NoConnectionRetries bool
}

// toC builds a C retry policy; the caller frees it with plexauth_retry_free.
func (p *RetryPolicy) toC() (*C.plexauth_retry, error) {
	var r *C.plexauth_retry
	if st := C.plexauth_retry_new(&r); st != C.PLEXAUTH_OK {
		return nil, &Error{Status: Status(st), Message: "cannot create a retry policy"}
	}
	err := func() error {
		if p.InitialInterval != 0 {
			if err := checkSetter("RetryPolicy.InitialInterval",
				C.plexauth_retry_set_initial_interval_ms(r, millis(p.InitialInterval))); err != nil {
				return err
			}
		}
		if p.MaxInterval != 0 {
			if err := checkSetter("RetryPolicy.MaxInterval",
				C.plexauth_retry_set_max_interval_ms(r, millis(p.MaxInterval))); err != nil {
				return err
			}
		}
		if p.Exponent != 0 {
			if err := checkSetter("RetryPolicy.Exponent",
				C.plexauth_retry_set_exponent(r, C.double(p.Exponent))); err != nil {
				return err
			}
		}
		if p.MaxElapsed != 0 {
			if err := checkSetter("RetryPolicy.MaxElapsed",
				C.plexauth_retry_set_max_elapsed_ms(r, millis(p.MaxElapsed))); err != nil {
				return err
			}
		}
		if p.MaxAttempts < 0 {
			return invalidArgument("invalid RetryPolicy.MaxAttempts")
		}
		if p.MaxAttempts != 0 {
			if err := checkSetter("RetryPolicy.MaxAttempts",
				C.plexauth_retry_set_max_attempts(r, C.uint(p.MaxAttempts))); err != nil {
				return err
			}
		}
		return checkSetter("RetryPolicy.NoConnectionRetries",
			C.plexauth_retry_set_retry_connection_errors(r, cBool(!p.NoConnectionRetries)))
	}()
	if err != nil {
		C.plexauth_retry_free(r)
		return nil, err
	}
	return r, nil
}

// timeoutMillis maps a Go timeout to the C convention (0 = no limit).
func timeoutMillis(d time.Duration) C.int64_t {
	if d <= 0 {
		return 0
	}
	return millis(d)
}

// apply writes o into cfg. Callback handles it creates are appended to
// *handles; the caller deletes them once no C object refers to them.
//
// A JWTSession it installs is appended to *sessions, with a use counted: the
// caller releases it once no C object refers to it.
func (o *Options) apply(cfg *C.plexauth_config, handles *[]cgo.Handle, sessions *[]*JWTSession) error {
	if o.JWTSession != nil {
		if o.TokenProvider != nil {
			return invalidArgument("TokenProvider and JWTSession are both set")
		}
		if err := o.JWTSession.install(cfg); err != nil {
			return err
		}
		*sessions = append(*sessions, o.JWTSession)
	} else if o.TokenProvider != nil {
		h := cgo.NewHandle(o.TokenProvider)
		*handles = append(*handles, h)
		if err := checkSetter("TokenProvider", C.plexauthgo_set_token_provider(cfg, C.uintptr_t(h))); err != nil {
			return err
		}
	} else if err := setString("Token", o.Token, true, func(s *C.char) C.plexauth_status {
		return C.plexauth_config_set_access_token(cfg, s)
	}); err != nil {
		return err
	}
	strs := []struct {
		what, value string
		set         func(*C.char) C.plexauth_status
	}{
		{"ClientID", o.ClientID, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_client_id(cfg, s) }},
		{"ClientName", o.ClientName, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_client_name(cfg, s) }},
		{"ClientVersion", o.ClientVersion, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_client_version(cfg, s) }},
		{"Platform", o.Platform, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_platform(cfg, s) }},
		{"DeviceNickname", o.DeviceNickname, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_device_nickname(cfg, s) }},
		{"DeviceName", o.DeviceName, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_device_name(cfg, s) }},
		{"ServerURL", o.ServerURL, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_server_url(cfg, s) }},
		{"Protocol", o.Protocol, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_server_protocol(cfg, s) }},
		{"IP", o.IP, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_server_ip(cfg, s) }},
		{"PlexTVURL", o.PlexTVURL, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_plex_tv_url(cfg, s) }},
		{"ClientsURL", o.ClientsURL, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_clients_url(cfg, s) }},
		{"CABundle", o.CABundle, func(s *C.char) C.plexauth_status { return C.plexauth_config_set_ca_bundle(cfg, s) }},
	}
	for _, s := range strs {
		if err := setString(s.what, s.value, false, s.set); err != nil {
			return err
		}
	}
	if o.Port != 0 {
		if err := checkSetter("Port", C.plexauth_config_set_server_port(cfg, C.int(o.Port))); err != nil {
			return err
		}
	}
	if o.ConnectTimeout != 0 {
		if err := checkSetter("ConnectTimeout",
			C.plexauth_config_set_connect_timeout_ms(cfg, timeoutMillis(o.ConnectTimeout))); err != nil {
			return err
		}
	}
	if o.Timeout != 0 {
		if err := checkSetter("Timeout", C.plexauth_config_set_timeout_ms(cfg, timeoutMillis(o.Timeout))); err != nil {
			return err
		}
	}
	switch {
	case o.NoRetry:
		if err := checkSetter("NoRetry", C.plexauth_config_set_retry(cfg, nil)); err != nil {
			return err
		}
	case o.Retry != nil:
		r, err := o.Retry.toC()
		if err != nil {
			return err
		}
		err = checkSetter("Retry", C.plexauth_config_set_retry(cfg, r))
		C.plexauth_retry_free(r)
		if err != nil {
			return err
		}
	}
	if o.MaxResponseBytes < 0 {
		return invalidArgument("invalid MaxResponseBytes")
	}
	if o.MaxResponseBytes != 0 {
		if err := checkSetter("MaxResponseBytes",
			C.plexauth_config_set_max_response_bytes(cfg, C.size_t(o.MaxResponseBytes))); err != nil {
			return err
		}
	}
	if o.InsecureSkipTLSVerify {
		if err := checkSetter("InsecureSkipTLSVerify", C.plexauth_config_set_insecure_skip_tls_verify(cfg, 1)); err != nil {
			return err
		}
	}
	if o.IgnoreEnvProxy {
		if err := checkSetter("IgnoreEnvProxy", C.plexauth_config_set_use_env_proxy(cfg, 0)); err != nil {
			return err
		}
	}
	if o.ResolvePlexDirectByDNS {
		if err := checkSetter("ResolvePlexDirectByDNS", C.plexauth_config_set_pin_plex_direct(cfg, 0)); err != nil {
			return err
		}
	}
	if o.Logger != nil {
		level := o.LogLevel
		if level == 0 {
			level = LogDebug
		}
		h := cgo.NewHandle(o.Logger)
		*handles = append(*handles, h)
		if err := checkSetter("Logger",
			C.plexauthgo_set_log(cfg, C.plexauth_log_level(level), C.uintptr_t(h))); err != nil {
			return err
		}
	}
	return nil
}

// CallOption overrides a client setting for one call.
type CallOption func(*callOptions)

type callOptions struct {
	serverURL  string
	timeout    *time.Duration
	retry      *RetryPolicy
	noRetry    bool
	tokenType  string
	tokenScope string
	jwtScope   string
	token      secret                           // WithToken
	identity   [len(identityCallSetters)]string // WithClientID, ... in identityCallSetters' order
}

// WithServerURL sets the base URL for this call: the PMS base for
// GetTransientToken and GetSourceConnectionInformation, the plex.tv API base
// for GetTokenDetails and SignIn.
func WithServerURL(url string) CallOption {
	return func(o *callOptions) { o.serverURL = url }
}

// WithTimeout sets the per-attempt timeout for this call; d <= 0 means no
// limit.
func WithTimeout(d time.Duration) CallOption {
	return func(o *callOptions) { o.timeout = &d }
}

// WithRetry sets the retry policy for this call.
func WithRetry(p RetryPolicy) CallOption {
	return func(o *callOptions) { o.retry, o.noRetry = &p, false }
}

// WithNoRetry disables retries for this call.
func WithNoRetry() CallOption {
	return func(o *callOptions) { o.retry, o.noRetry = nil, true }
}

// WithToken sets the X-Plex-Token for this call only: it beats the client's
// Token and TokenProvider, so that one Client can serve many users. "" keeps
// the client's. The token is wiped from C memory after the call and never
// shown by fmt.
func WithToken(token string) CallOption {
	return func(o *callOptions) { o.token = secret(token) }
}

// secret is a string that fmt never shows.
type secret string

func (secret) String() string   { return "[redacted]" }
func (secret) GoString() string { return `"[redacted]"` }

// WithTransientTokenType sets GetTransientToken's "type" query parameter
// (default "delegation", the only documented value). Other calls ignore it.
func WithTransientTokenType(t string) CallOption {
	return func(o *callOptions) { o.tokenType = t }
}

// WithTransientTokenScope sets GetTransientToken's "scope" query parameter
// (default "all", the only documented value). Other calls ignore it.
func WithTransientTokenScope(s string) CallOption {
	return func(o *callOptions) { o.tokenScope = s }
}

// WithJWTScope sets the claims JWTLogin asks plex.tv to put in the Plex JWT
// (comma-separated; default "username,email,friendly_name,restricted,
// anonymous,joinedAt"). Other calls ignore it.
func WithJWTScope(scope string) CallOption {
	return func(o *callOptions) { o.jwtScope = scope }
}

// toC builds the C call options, with cancel attached when it is not nil.
// The result is nil when there is nothing to set; the caller frees it.
func (o *callOptions) toC(cancel *C.plexauth_cancel) (*C.plexauth_call_options, error) {
	if o.serverURL == "" && o.token == "" && o.timeout == nil && o.retry == nil && !o.noRetry && cancel == nil && o.identity == noOptions.identity {
		return nil, nil
	}
	var co *C.plexauth_call_options
	if st := C.plexauth_call_options_new(&co); st != C.PLEXAUTH_OK {
		return nil, &Error{Status: Status(st), Message: "cannot create call options"}
	}
	err := func() error {
		if err := setString("WithServerURL", o.serverURL, false, func(s *C.char) C.plexauth_status {
			return C.plexauth_call_options_set_server_url(co, s)
		}); err != nil {
			return err
		}
		if err := setString("WithToken", string(o.token), true, func(s *C.char) C.plexauth_status {
			return C.plexauth_call_options_set_access_token(co, s)
		}); err != nil {
			return err
		}
		for i, s := range identityCallSetters {
			if err := setString(s.what, o.identity[i], false, func(v *C.char) C.plexauth_status { return s.set(co, v) }); err != nil {
				return err
			}
		}
		if o.timeout != nil {
			if err := checkSetter("WithTimeout",
				C.plexauth_call_options_set_timeout_ms(co, timeoutMillis(*o.timeout))); err != nil {
				return err
			}
		}
		if o.noRetry {
			if err := checkSetter("WithNoRetry", C.plexauth_call_options_set_retry(co, nil)); err != nil {
				return err
			}
		} else if o.retry != nil {
			r, err := o.retry.toC()
			if err != nil {
				return err
			}
			err = checkSetter("WithRetry", C.plexauth_call_options_set_retry(co, r))
			C.plexauth_retry_free(r)
			if err != nil {
				return err
			}
		}
		if cancel != nil {
			return checkSetter("cancel", C.plexauth_call_options_set_cancel(co, cancel))
		}
		return nil
	}()
	if err != nil {
		C.plexauth_call_options_free(co)
		return nil, err
	}
	return co, nil
}
