package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Passwords are hashed with argon2id (RFC 9106) and stored in the PHC
// string format: $argon2id$v=19$m=MEM,t=TIME,p=THREADS$SALT$HASH. The
// parameters are OWASP's first recommended set; a hash records its own, so
// raising them later leaves old hashes verifiable.
const (
	argonMemory  = 46 * 1024 // KiB
	argonTime    = 1
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// maxPasswordLength bounds the work one sign-in attempt can cause.
const maxPasswordLength = 1024

// CheckPasswordPolicy reports why pw is not acceptable as a new password.
func CheckPasswordPolicy(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLength:
		return fmt.Errorf("password too short: %d characters, want at least %d", n, MinPasswordLength)
	case len(pw) > maxPasswordLength:
		return fmt.Errorf("password too long: want at most %d bytes", maxPasswordLength)
	}
	return nil
}

// HashPassword returns the encoded argon2id hash of pw with a fresh salt.
func HashPassword(pw string) (string, error) {
	if len(pw) > maxPasswordLength {
		return "", fmt.Errorf("password too long: want at most %d bytes", maxPasswordLength)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errBadHash is returned for a stored hash that cannot be parsed.
var errBadHash = errors.New("stored password hash is not an argon2id PHC string")

// CheckPassword reports whether pw matches the encoded hash, in time that
// does not depend on where they differ.
func CheckPassword(encoded, pw string) (bool, error) {
	if len(pw) > maxPasswordLength {
		return false, nil
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var mem, t uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &threads); err != nil || mem == 0 || t == 0 || threads == 0 {
		return false, errBadHash
	}
	if mem > 1<<20 || t > 16 { // refuse hashes that would take unbounded work
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when a user does not exist, so that a
// sign-in takes as long whether or not the name is known.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("rollcall-dummy-password")
	if err != nil {
		return ""
	}
	return h
})

// randomToken returns n random bytes, base64url-encoded without padding.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// RandomPassword returns a password of 20 random characters, for demo
// accounts.
func RandomPassword() (string, error) { return randomToken(15) }
