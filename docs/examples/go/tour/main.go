// Command tour runs every plexauth flow in Go, as docs/guide-go.md shows it:
// the guide includes the regions between the marker comments verbatim;
// tests/docs/check_guides.py checks that, and scripts/test.sh runs this
// program against plexauth-fake (tests/docs/run_tour.sh).
//
// Servers come from the environment, always named explicitly: PLEX_SERVER
// (the PMS base URL) and PLEX_TV_URL (the plex.tv API base);
// PLEXAUTH_CLIENT_ID_FILE optionally says where the device identity is kept.
// Secrets come from standard input, one per line: the password, the 2FA code,
// the Home user's PIN. Never from argv.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/plexauth/plexauth-go"
)

const (
	login    = "user12345" // an account with 2FA
	source   = "server://3381b62b9ab74e37"
	homeUser = "homeuser0000uuid" // a protected Plex Home user
)

func main() {
	if err := tour(); err != nil {
		fmt.Fprintln(os.Stderr, "failed:", err) // messages never contain secrets
		os.Exit(1)
	}
}

// str reads an optional string field of a result.
func str(p *string) string {
	if p == nil {
		return "?"
	}
	return *p
}

func tour() error {
	pms, plexTV := os.Getenv("PLEX_SERVER"), os.Getenv("PLEX_TV_URL")
	if pms == "" || plexTV == "" {
		return errors.New("set PLEX_SERVER and PLEX_TV_URL")
	}
	in := bufio.NewScanner(os.Stdin)
	secret := func() string { in.Scan(); return in.Text() }
	password, code, homePIN := secret(), secret(), secret()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // bounds every call
	defer cancel()

	// [setup]
	// One stable identity per installation: plex.tv lists it as one device.
	clientID, err := plexauth.ClientIDLoadOrCreate(os.Getenv("PLEXAUTH_CLIENT_ID_FILE")) // "": the default file
	if err != nil {
		return err
	}
	client, err := plexauth.NewClient(plexauth.Options{
		ClientID:       clientID,
		ClientName:     "My Plex Tool",
		ClientVersion:  "1.0",
		Platform:       "Linux",
		ServerURL:      pms, // always name your server
		PlexTVURL:      plexTV,
		ConnectTimeout: 3 * time.Second,
		Timeout:        10 * time.Second, // per attempt
		Retry:          &plexauth.RetryPolicy{MaxAttempts: 3, MaxElapsed: 20 * time.Second},
	})
	if err != nil {
		return err
	}
	defer client.Close() // waits for calls in progress
	// [end]

	// [sign_in]
	req := plexauth.SignInRequest{Login: login, Password: password}
	account, err := client.SignIn(ctx, req)
	if errors.Is(err, plexauth.ErrTwoFactorRequired) { // ask for the code, sign in again
		req.VerificationCode = code
		account, err = client.SignIn(ctx, req)
	}
	if err != nil {
		return err
	}
	fmt.Println("signed in as", str(account.Username))
	token := *account.AuthToken // store it safely; %v shows it as [redacted]
	// [end]

	// [token]
	asUser := plexauth.WithToken(token) // this call's token only
	me, err := client.GetTokenDetails(ctx, asUser)
	if err != nil {
		return err
	}
	plexPass := "inactive"
	if me.Subscription != nil && me.Subscription.Active != nil && *me.Subscription.Active {
		plexPass = "active"
	}
	fmt.Printf("token details: %s <%s>, Plex Pass %s\n", str(me.Username), str(me.Email), plexPass)
	pong, err := client.Ping(ctx, asUser) // keeps the token alive
	if err != nil {
		return err
	}
	if pong.Pong != nil && *pong.Pong {
		fmt.Println("ping: pong")
	}
	// [end]

	// [pms]
	transient, err := client.GetTransientToken(ctx, asUser) // type=delegation, scope=all
	if err != nil {
		return err
	}
	if transient.Token != nil {
		fmt.Println("transient token: received")
	}
	src, err := client.GetSourceConnectionInformation(ctx, source, asUser)
	if err != nil {
		return err
	}
	var uris []string
	for _, c := range src.Connections {
		uri := str(c.URI)
		if c.Local != nil && *c.Local {
			uri += " (local)"
		}
		uris = append(uris, uri)
	}
	fmt.Printf("source %s: %s\n", str(src.Name), strings.Join(uris, " "))
	// [end]

	// [pin_login]
	pin, err := client.CreatePIN(ctx, true) // strong: for the hosted page
	if err != nil {
		return err
	}
	url, err := client.LoginURL(*pin.Code, "") // or a forward URL
	if err != nil {
		return err
	}
	fmt.Println("open", url, "in a browser")
	approved, err := client.WaitForPIN(ctx, *pin.ID, plexauth.WaitOptions{
		PollInterval: 200 * time.Millisecond,
		Timeout:      time.Minute, // give up after a minute
		Progress: func(shown string, left time.Duration) error { // before each pause between polls
			fmt.Printf("waiting for code %s to be approved (%d s left)\n", shown, int(left.Seconds()))
			return nil // an error stops the wait: ErrCancelled, wrapping it
		},
	})
	if err != nil { // ErrPINExpired, ErrTimeout, ErrCancelled (ctx or Progress) ...
		return err
	}
	adminToken := *approved.AuthToken
	fmt.Println("PIN approved")
	// [end]

	// [home]
	asAdmin := plexauth.WithToken(adminToken)
	kid, err := client.SwitchHomeUser(ctx, homeUser, "", asAdmin)
	if errors.Is(err, plexauth.ErrPINRequired) { // a protected user: ask for the PIN
		kid, err = client.SwitchHomeUser(ctx, homeUser, homePIN, asAdmin)
	}
	if err != nil {
		return err
	}
	fmt.Println("switched to", str(kid.Title)) // its own token: kid.AuthToken
	// [end]

	// [servers]
	resources, err := client.ListResources(ctx, asAdmin) // the account's servers, players, ...
	if err != nil {
		return err
	}
	cache, err := plexauth.NewConnectCache() // remembers what worked (Save/Load: a file)
	if err != nil {
		return err
	}
	defer cache.Close()
	for i := range resources.Devices {
		device := &resources.Devices[i]
		if device.Provides == nil || !strings.Contains(*device.Provides, "server") {
			continue // a player or another client
		}
		conn, err := client.Connect(ctx, device, &plexauth.ConnectOptions{
			Deadline: 5 * time.Second, // every location, https and http, staggered
			Cache:    cache,
		})
		if errors.Is(err, plexauth.ErrUnreachable) { // nothing answered as that server
			fmt.Printf("server %s: unreachable\n", str(device.Name))
			continue
		}
		if err != nil {
			return err
		}
		serverToken := adminToken // an owned server may come without a token of its own
		if conn.AccessToken != nil {
			serverToken = *conn.AccessToken
		}
		id, err := client.GetIdentity(ctx, plexauth.WithServerURL(conn.URI), plexauth.WithToken(serverToken))
		if err != nil {
			return err
		}
		fmt.Printf("server %s: %s in %d ms, version %s\n", conn.Name, conn.URI,
			conn.Elapsed.Milliseconds(), str(id.Version))
	}
	// [end]

	// [errors]
	_, err = client.Ping(ctx, plexauth.WithToken("revokedTokenXXXXXXXX"), plexauth.WithNoRetry(),
		plexauth.WithTimeout(5*time.Second))
	var e *plexauth.Error
	if errors.Is(err, plexauth.ErrUnauthorized) && errors.As(err, &e) { // match sentinels, never text
		plexCode := 0
		if len(e.PlexErrors) > 0 {
			plexCode = e.PlexErrors[0].Code
		}
		fmt.Printf("refused: %v, HTTP %d, Plex code %d\n", e.Status, e.HTTPStatus, plexCode)
	}
	// [end]

	// [sign_out]
	if err := client.SignOut(ctx, asUser); err != nil { // plex.tv invalidates the token
		return err
	}
	fmt.Println("signed out")
	// [end]
	return nil
}
