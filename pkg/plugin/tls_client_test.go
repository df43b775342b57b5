package plugin

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"
)

// testCA signs client certificates for a server that requires them (mutual TLS).
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "spanflame test client CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key}
}

// clientPEM returns a client certificate signed by the CA and its key, PEM-encoded as the
// datasource's secure settings hold them.
func (ca *testCA) clientPEM(t *testing.T) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "grafana"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
}

// TestTLSClientCertificate: a Parca behind mutual TLS answers when the datasource sends the
// client certificate from its secure settings, and without one the health check says that a
// client certificate is what is missing.
func TestTLSClientCertificate(t *testing.T) {
	ca := newTestCA(t)
	srv := httptest.NewUnstartedServer((&fakeParca{profileTypes: []*pb.ProfileType{cpuType}}).handler())
	clientCAs := x509.NewCertPool()
	clientCAs.AddCert(ca.cert)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clientCAs}
	srv.StartTLS()
	defer srv.Close()
	serverCA := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	certPEM, keyPEM := ca.clientPEM(t)

	open := func(jsonData string, secure map[string]string) *Datasource {
		t.Helper()
		inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
			URL: srv.URL, JSONData: []byte(jsonData), DecryptedSecureJSONData: secure,
		})
		if err != nil {
			t.Fatal(err)
		}
		return inst.(*Datasource)
	}

	without := checkHealth(t, open(`{"tlsAuthWithCACert":true}`, map[string]string{"tlsCACert": serverCA}))
	if without.Status != backend.HealthStatusError || !strings.Contains(without.Message, "the server requires a client certificate") {
		t.Fatalf("without a client certificate: %v: %s", without.Status, without.Message)
	}

	strangerCert, strangerKey := newTestCA(t).clientPEM(t)
	stranger := checkHealth(t, open(`{"tlsAuth":true,"tlsAuthWithCACert":true}`,
		map[string]string{"tlsCACert": serverCA, "tlsClientCert": strangerCert, "tlsClientKey": strangerKey}))
	if stranger.Status != backend.HealthStatusError || !strings.Contains(stranger.Message, "the server rejected the client certificate") {
		t.Fatalf("with a certificate from another CA: %v: %s", stranger.Status, stranger.Message)
	}

	with := checkHealth(t, open(`{"tlsAuth":true,"tlsAuthWithCACert":true}`,
		map[string]string{"tlsCACert": serverCA, "tlsClientCert": certPEM, "tlsClientKey": keyPEM}))
	if with.Status != backend.HealthStatusOk {
		t.Fatalf("with the client certificate: %v: %s", with.Status, with.Message)
	}
}
