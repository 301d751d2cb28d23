// bench/compare's Go driver (not part of the binding's module).
module plexauth-bench-driver

go 1.21

require github.com/plexauth/plexauth-go v0.0.0

replace github.com/plexauth/plexauth-go => ../../../bindings/go
