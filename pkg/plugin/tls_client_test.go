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
	clientCAs := x509.NewCertPool()
	clientCAs.AddCert(ca.cert)
	// start serves the fake Parca behind mutual TLS. maxVersion 0 allows TLS 1.3, where the
	// server checks the client certificate after the client has finished its handshake, so a
	// rejection reaches the client as an alert or as a broken connection, whichever wins the
	// race with its first request. TLS 1.2 rejects inside the handshake, every time, so the
	// exact refusal messages are tested over TLS 1.2, and TLS 1.3 for a message that holds
	// whichever way the race goes.
	start := func(maxVersion uint16) (url, caPEM string) {
		srv := httptest.NewUnstartedServer((&fakeParca{profileTypes: []*pb.ProfileType{cpuType}}).handler())
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
		srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clientCAs, MaxVersion: maxVersion}
		srv.StartTLS()
		t.Cleanup(srv.Close)
		return srv.URL, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	}
	certPEM, keyPEM := ca.clientPEM(t)

	open := func(url, jsonData string, secure map[string]string) *Datasource {
		t.Helper()
		inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
			URL: url, JSONData: []byte(jsonData), DecryptedSecureJSONData: secure,
		})
		if err != nil {
			t.Fatal(err)
		}
		return inst.(*Datasource)
	}

	url, serverCA := start(0)
	url12, serverCA12 := start(tls.VersionTLS12)
	without := checkHealth(t, open(url12, `{"tlsAuthWithCACert":true}`, map[string]string{"tlsCACert": serverCA12}))
	// TLS 1.2 answers a missing certificate with a bare handshake_failure alert; the message is the
	// TLS one that points at the client certificate setting. (Over TLS 1.3 the certificate_required
	// alert, when it wins the race, gets the more precise "the server requires a client certificate".)
	if without.Status != backend.HealthStatusError || !strings.Contains(without.Message, "TLS with") ||
		!strings.Contains(without.Message, "client certificate") {
		t.Fatalf("without a client certificate: %v: %s", without.Status, without.Message)
	}

	// Over TLS 1.3 the refusal races the first request: either the certificate_required alert
	// arrives, or the write finds the connection reset. Both must point at the client
	// certificate, never at the URL; several tries see both outcomes on most runs.
	for try := 0; try < 10; try++ {
		result := checkHealth(t, open(url, `{"tlsAuthWithCACert":true}`, map[string]string{"tlsCACert": serverCA}))
		if result.Status != backend.HealthStatusError || !strings.Contains(result.Message, "client certificate") ||
			strings.Contains(result.Message, "check the URL") {
			t.Fatalf("TLS 1.3 without a client certificate, try %d: %v: %s", try, result.Status, result.Message)
		}
	}

	strangerCert, strangerKey := newTestCA(t).clientPEM(t)
	stranger := checkHealth(t, open(url12, `{"tlsAuth":true,"tlsAuthWithCACert":true}`,
		map[string]string{"tlsCACert": serverCA12, "tlsClientCert": strangerCert, "tlsClientKey": strangerKey}))
	if stranger.Status != backend.HealthStatusError || !strings.Contains(stranger.Message, "the server rejected the client certificate") {
		t.Fatalf("with a certificate from another CA: %v: %s", stranger.Status, stranger.Message)
	}

	with := checkHealth(t, open(url, `{"tlsAuth":true,"tlsAuthWithCACert":true}`,
		map[string]string{"tlsCACert": serverCA, "tlsClientCert": certPEM, "tlsClientKey": keyPEM}))
	if with.Status != backend.HealthStatusOk {
		t.Fatalf("with the client certificate: %v: %s", with.Status, with.Message)
	}
}
