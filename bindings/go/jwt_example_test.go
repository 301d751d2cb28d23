package plexauth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/plexauth/plexauth-go"
)

// legacyToken is the device's legacy token (here: the fake's account A).
var legacyToken = tokenA

// JWT device authentication: a device key saved once, registered once with
// the legacy token, then Plex JWTs that a JWTSession keeps fresh for every
// call of a client. docs/guide-go.md quotes the two regions. In production
// leave PlexTVURL and ClientsURL empty; here they point at the test's fake.
func ExampleJWTSession() {
	dir, err := os.MkdirTemp("", "plexauth-jwt-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// [jwt_login]
	device, err := plexauth.NewClient(plexauth.Options{
		Token:      legacyToken,                             // only to register the key
		ClientID:   "0d5f3a7e-5d0e-4b8e-9a51-jwt-device-01", // its own: a JWT ends this identifier's legacy token
		ClientName: "My Plex App",
		PlexTVURL:  plexTVURL,
		ClientsURL: plexTVURL,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer device.Close()
	key, created, err := plexauth.LoadOrCreateDeviceKey(filepath.Join(dir, "device_key.pem")) // 0600
	if err != nil {
		log.Fatal(err)
	}
	defer key.Close()
	if created { // once per key: POST /auth/jwk with the legacy token
		if err := device.RegisterDeviceKey(ctx, key); err != nil {
			log.Fatal(err)
		}
	}
	jwt, err := device.JWTLogin(ctx, key) // nonce, device JWT, exchange: no token sent
	if err != nil {
		log.Fatal(err)
	}
	expires, err := device.JWTVerify(ctx, *jwt.AuthToken, key) // plex.tv's keys, issued for this key
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Plex JWT valid for", time.Until(expires).Round(time.Hour))
	// [end]

	// [jwt_session]
	session, err := plexauth.NewJWTSession(device, key, 0) // refresh a day before expiry
	if err != nil {
		log.Fatal(err)
	}
	defer session.Close()
	plexTV, err := plexauth.NewClient(plexauth.Options{JWTSession: session, PlexTVURL: plexTVURL, ClientsURL: plexTVURL})
	if err != nil {
		log.Fatal(err)
	}
	defer plexTV.Close()
	account, err := plexTV.GetTokenDetails(ctx)   // sends the session's JWT
	if errors.Is(err, plexauth.ErrTokenExpired) { // plex.tv expired it early: get a new one
		session.Invalidate()
		account, err = plexTV.GetTokenDetails(ctx)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", *account.Username)
	// [end]

	// Output:
	// Plex JWT valid for 168h0m0s
	// signed in as Username
}
