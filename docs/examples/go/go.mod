// The Go guide's tour (docs/guide-go.md quotes tour/main.go), using the binding
// from this repository; scripts/test.sh runs it against plexauth-fake through
// tests/docs/run_tour.sh.
module example/plexauth-tour

go 1.21

require github.com/plexauth/plexauth-go v0.0.0

replace github.com/plexauth/plexauth-go => ../../../bindings/go
