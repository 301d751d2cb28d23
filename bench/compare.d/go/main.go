// bench/compare's Go driver: the workload of driver.h through the plexauth Go binding.
//
//	plexauth-bench-driver PLEX_TV_URL N
//	environment: PLEXAUTH_BENCH_TOKEN, PLEXAUTH_BENCH_LOGIN, PLEXAUTH_BENCH_PASSWORD
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	plexauth "github.com/plexauth/plexauth-go"
)

func env(name string) string {
	v := os.Getenv(name)
	if v == "" {
		log.Fatalf("%s is not set", name)
	}
	return v
}

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: plexauth-bench-driver PLEX_TV_URL N")
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n <= 0 {
		log.Fatal("N must be a positive integer")
	}
	token := env("PLEXAUTH_BENCH_TOKEN")
	client, err := plexauth.NewClient(plexauth.Options{
		Token:          token,
		PlexTVURL:      os.Args[1],
		ClientID:       "3381b62b-9ab7-4e37-827b-203e9809eb58",
		ClientName:     "Plex for Roku",
		ClientVersion:  "2.4.1",
		Platform:       "Roku",
		DeviceNickname: "Roku 3",
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()

	call := func() {
		a, err := client.GetTokenDetails(ctx)
		if err != nil {
			log.Fatal(err)
		}
		if a.ID == nil || *a.ID <= 0 {
			log.Fatal("no account id")
		}
	}
	call()
	first := time.Now().UnixNano()

	lat := make([]int64, n)
	start := time.Now()
	t := start
	for i := 0; i < n; i++ {
		call()
		now := time.Now()
		lat[i] = now.Sub(t).Nanoseconds()
		t = now
	}
	elapsed := t.Sub(start).Nanoseconds()

	s0 := time.Now()
	a, err := client.SignIn(ctx, plexauth.SignInRequest{Login: env("PLEXAUTH_BENCH_LOGIN"), Password: env("PLEXAUTH_BENCH_PASSWORD")})
	signIn := time.Since(s0).Nanoseconds()
	if err != nil {
		log.Fatal(err)
	}
	if a.AuthToken == nil || *a.AuthToken != token {
		log.Fatal("sign-in did not give the account's token")
	}
	out := make([]string, n)
	for i, l := range lat {
		out[i] = strconv.FormatInt(l, 10)
	}
	fmt.Printf("{\"first_ns\":%d,\"elapsed_ns\":%d,\"sign_in_ns\":%d,\"lat_ns\":[%s]}\n", first, elapsed, signIn, strings.Join(out, ","))
}
