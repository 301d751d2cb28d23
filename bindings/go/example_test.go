package plexauth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/plexauth/plexauth-go"
)

// Sign in to an account that has two-factor authentication, then use the
// token. In production leave PlexTVURL empty (https://plex.tv/api/v2); here it
// points at the test's fake server.
func ExampleClient_SignIn() {
	client, err := plexauth.NewClient(plexauth.Options{
		ClientID:   "3381b62b-9ab7-4e37-827b-203e9809eb58", // one stable value per installation
		ClientName: "My Plex App",
		PlexTVURL:  plexTVURL,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	req := plexauth.SignInRequest{Login: "user12345@example.com", Password: "hunter2-secret"}
	account, err := client.SignIn(ctx, req)
	if errors.Is(err, plexauth.ErrTwoFactorRequired) {
		fmt.Println("verification code required")
		req.VerificationCode = "123456" // ask the user for it
		account, err = client.SignIn(ctx, req)
	}
	var perr *plexauth.Error
	if errors.As(err, &perr) {
		log.Fatalf("sign-in failed: %v (HTTP %d, Plex errors %v)", perr, perr.HTTPStatus, perr.PlexErrors)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("signed in as %s (id %d, country %s)\n", *account.Username, *account.ID, *account.Country)

	// The account's token authenticates later calls.
	authed, err := plexauth.NewClient(plexauth.Options{Token: *account.AuthToken, PlexTVURL: plexTVURL})
	if err != nil {
		log.Fatal(err)
	}
	defer authed.Close()
	details, err := authed.GetTokenDetails(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token belongs to", *details.Email)
	// Output:
	// verification code required
	// signed in as user12345 (id 475829302, country IT)
	// token belongs to user12345@example.com
}
