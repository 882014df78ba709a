package dev.tokenctl.http;

import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TLS context of {@code --tls-cert} and {@code --tls-key}: a PEM certificate chain and its
 * PKCS#8 RSA or EC private key. An unreadable, mismatched or expired pair is refused in one line.
 */
final class Pem {
    static final String CONVERT = "convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pk8.pem'";
    private static final java.util.regex.Pattern PKCS8 = java.util.regex.Pattern.compile(
            "-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", java.util.regex.Pattern.DOTALL);

    private Pem() {
    }

    static SSLContext context(Path certificate, Path key, Date now) {
        List<? extends Certificate> chain = certificates(certificate);
        X509Certificate leaf = (X509Certificate) chain.get(0);
        try {
            leaf.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw invalid("--tls-cert " + shown(certificate) + " expired on " + leaf.getNotAfter().toInstant()
                    + " (renew the certificate)");
        } catch (CertificateNotYetValidException e) {
            throw invalid("--tls-cert " + shown(certificate) + " is not valid before " + leaf.getNotBefore().toInstant()
                    + " (check the certificate and the clock)");
        }
        PrivateKey privateKey = privateKey(key, leaf.getPublicKey().getAlgorithm());
        if (!matches(privateKey, leaf)) {
            throw invalid("--tls-key " + shown(key) + " is not the key of --tls-cert " + shown(certificate)
                    + " (give the key the certificate was issued for)");
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tokenctl", privateKey, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw invalid("cannot use --tls-cert " + shown(certificate) + " with --tls-key " + shown(key) + ": "
                    + Text.quoteSafe(String.valueOf(e.getMessage()), 200));
        }
    }

    private static List<? extends Certificate> certificates(Path file) {
        try {
            List<? extends Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))));
            if (chain.isEmpty()) {
                throw invalid("--tls-cert " + shown(file) + " holds no certificate (give a PEM certificate chain)");
            }
            return chain;
        } catch (IOException e) {
            throw invalid("--tls-cert " + shown(file) + " cannot be read: " + Text.quoteSafe(String.valueOf(e.getMessage()), 200)
                    + " (give a readable PEM file)");
        } catch (GeneralSecurityException e) {
            throw invalid("--tls-cert " + shown(file) + " is not a PEM certificate chain (give one)");
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw invalid("--tls-key " + shown(file) + " cannot be read: " + Text.quoteSafe(String.valueOf(e.getMessage()), 200)
                    + " (give a readable PEM file)");
        }
        java.util.regex.Matcher pem = PKCS8.matcher(text);
        if (!pem.find()) {
            throw invalid("--tls-key " + shown(file) + " is not an unencrypted PKCS#8 PEM key (" + CONVERT + ")");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(1));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw invalid("--tls-key " + shown(file) + " is not a " + algorithm + " key in PKCS#8 (" + CONVERT + ")");
        }
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
            byte[] data = "tokenctl".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String shown(Path path) {
        return Text.quoteSafe(path.toString(), 200);
    }

    private static TokenctlException invalid(String message) {
        return TokenctlException.invalid(message);
    }
}
