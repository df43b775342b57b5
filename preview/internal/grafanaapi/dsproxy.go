package grafanaapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/spanflame/spanflame/preview/internal/store"
)

// dataProxyTimeout is Grafana's default [dataproxy] timeout.
const dataProxyTimeout = 30 * time.Second

// dataSourceProxy is Grafana's datasource proxy, /api/datasources/proxy/uid/{uid}/{path...}: the
// request goes to the datasource's URL + path with the same method, query and body, without the
// browser's cookies and authorization (Grafana sends the datasource's own credentials instead).
func (s *Server) dataSourceProxy(w http.ResponseWriter, r *http.Request) {
	ds, err := s.store.Get(r.PathValue("uid"))
	if err != nil {
		writeMessage(w, http.StatusNotFound, "Unable to find datasource")
		return
	}
	target, err := url.Parse(ds.URL)
	if ds.URL == "" || err != nil || target.Scheme == "" || target.Host == "" {
		writeMessage(w, http.StatusBadGateway, "datasource "+ds.UID+" has no usable URL ("+ds.URL+"): set it in the datasource settings")
		return
	}
	path := "/" + r.PathValue("path")
	ctx, cancel := context.WithTimeout(r.Context(), dataProxyTimeout)
	defer cancel()
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = target.Scheme, target.Host
			pr.Out.URL.Path = strings.TrimRight(target.Path, "/") + path
			pr.Out.URL.RawPath = ""
			pr.Out.URL.RawQuery = r.URL.RawQuery
			pr.Out.Host = target.Host
			pr.Out.Header.Del("Cookie")
			pr.Out.Header.Del("Authorization")
			addDataSourceAuth(pr.Out, ds)
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			status := http.StatusBadGateway
			if errors.Is(err, context.DeadlineExceeded) {
				status = http.StatusGatewayTimeout
			}
			s.logf("datasource proxy to %s (%s): %v", ds.UID, ds.URL, err)
			writeMessage(w, status, "Bad Gateway: datasource "+ds.UID+" at "+ds.URL+" did not answer")
		},
	}
	proxy.ServeHTTP(w, r.WithContext(ctx))
}

func addDataSourceAuth(req *http.Request, ds store.DataSource) {
	if ds.BasicAuth {
		req.SetBasicAuth(ds.BasicAuthUser, ds.SecureJSONData["basicAuthPassword"])
	}
}
