package notify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	jose "github.com/go-jose/go-jose/v4"
)

// ReadSigningKey reads a PEM private key (PKCS #8, PKCS #1 or SEC 1) and
// returns it as a JWK with its algorithm (ES256, ES384, RS256 or EdDSA)
// and key id (kid, or the key's RFC 7638 thumbprint when kid is empty).
func ReadSigningKey(path, kid string) (*jose.JSONWebKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("signing key %q: no PEM block", path)
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("signing key %q: PEM block %q is not a private key", path, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("signing key %q: %w", path, err)
	}
	jwk := &jose.JSONWebKey{Key: key, KeyID: kid, Use: "sig"}
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256():
			jwk.Algorithm = string(jose.ES256)
		case elliptic.P384():
			jwk.Algorithm = string(jose.ES384)
		default:
			return nil, fmt.Errorf("signing key %q: EC curve %s: use P-256 or P-384", path, k.Curve.Params().Name)
		}
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("signing key %q: RSA key of %d bits: use 2048 or more", path, k.N.BitLen())
		}
		jwk.Algorithm = string(jose.RS256)
	case ed25519.PrivateKey:
		jwk.Algorithm = string(jose.EdDSA)
	default:
		return nil, fmt.Errorf("signing key %q: unsupported key type %T", path, key)
	}
	if jwk.KeyID == "" {
		pub := jwk.Public()
		tp, err := pub.Thumbprint(crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("signing key %q: %w", path, err)
		}
		jwk.KeyID = base64.RawURLEncoding.EncodeToString(tp)
	}
	return jwk, nil
}

// GenerateKey writes a new EC P-256 private key (PKCS #8 PEM, mode 0600)
// to path; it refuses to overwrite a file.
func GenerateKey(path string) error {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return errors.Join(fmt.Errorf("signing key %q: %w", path, err), os.Remove(path))
	}
	return f.Close()
}

// PublicJWKS is the JWKS a receiver verifies rollcall's SETs with.
func PublicJWKS(key *jose.JSONWebKey) jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{key.Public()}}
}
