package se.lu.lunarc.otp.client;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Trusts the system's CAs and, when given, the certificates of a PEM bundle (a site's own CA). */
final class TrustBundle {
    private TrustBundle() {}

    static X509TrustManager systemPlus(Path pemBundle) throws IOException, GeneralSecurityException {
        X509TrustManager system = trustManager(null);
        if (pemBundle == null) {
            return system;
        }
        KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
        extra.load(null, null);
        try (InputStream in = Files.newInputStream(pemBundle)) {
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                extra.setCertificateEntry("bundle-" + i++, cert);
            }
            if (i == 0) {
                throw new IOException("no certificate in CA bundle " + pemBundle);
            }
        }
        X509TrustManager site = trustManager(extra);
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                system.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    system.checkServerTrusted(chain, authType);
                } catch (CertificateException notBySystem) {
                    site.checkServerTrusted(chain, authType);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                List<X509Certificate> all = new ArrayList<>(Arrays.asList(system.getAcceptedIssuers()));
                all.addAll(Arrays.asList(site.getAcceptedIssuers()));
                return all.toArray(new X509Certificate[0]);
            }
        };
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager");
    }
}
