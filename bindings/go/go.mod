module github.com/plexauth/plexauth-go

go 1.21
