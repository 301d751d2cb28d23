// Packaging test (scripts/packaging-test.sh): a module using the binding,
// built through pkg-config (shared) or with -tags plexauth_static. Asks the
// fake Plex server (127.0.0.1:<argv[1]>) for the seeded account and pings.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	plexauth "github.com/plexauth/plexauth-go"
)

func main() {
	client, err := plexauth.NewClient(plexauth.Options{
		Token:     "CxoUzBTSV5hsxjTpFKaf", // the fake's seeded token (test data)
		ClientID:  "3381b62b-9ab7-4e37-827b-203e9809eb58",
		PlexTVURL: "http://127.0.0.1:" + os.Args[1] + "/api/v2",
		NoRetry:   true,
	})
	if err != nil {
		panic(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	account, err := client.GetTokenDetails(ctx)
	if err != nil || account.Username == nil || *account.Username != "Username" {
		panic(fmt.Sprintf("GetTokenDetails: %v %+v", err, account))
	}
	pong, err := client.Ping(ctx)
	if err != nil || pong.Pong == nil || !*pong.Pong {
		panic(fmt.Sprintf("Ping: %v", err))
	}
	fmt.Println("go:", os.Args[2], plexauth.Version(), "ok")
}
