package dev.tokenctl.http;

import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TLS context of {@code --tls-cert} and {@code --tls-key}: a PEM certificate chain and its
 * PKCS#8 RSA, EC, Ed25519 or Ed448 private key. Each file is read only when it is a regular file,
 * and only up to 1 MiB. An unreadable, oversized, mismatched or expired pair, or a
 * key of another type, is refused in one line.
 */
final class Pem {
    static final String CONVERT = "convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pk8.pem'";
    /** The most of a file that is read: far more than any certificate chain or key takes. */
    private static final int MAX_BYTES = 1 << 20;
    private static final String SUPPORTED = "use an RSA, EC, Ed25519 or Ed448 key";
    /**
     * Key types refused, by the object identifier of their algorithm: X25519 and X448 only agree
     * keys and cannot sign; DSA has no place in TLS 1.3; and a certificate for an RSASSA-PSS key,
     * which Java would serve, is refused by many clients, Go's TLS among them, where RSA serves all.
     */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "2b656e", "an X25519",                 // 1.3.101.110
            "2b656f", "an X448",                   // 1.3.101.111
            "2a8648ce380401", "a DSA",             // 1.2.840.10040.4.1
            "2a864886f70d01010a", "an RSASSA-PSS"); // 1.2.840.113549.1.1.10
    private static final java.util.regex.Pattern PKCS8 = java.util.regex.Pattern.compile(
            "-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", java.util.regex.Pattern.DOTALL);

    private Pem() {
    }

    static SSLContext context(Path certificate, Path key, Date now) {
        List<? extends Certificate> chain = certificates(certificate);
        X509Certificate leaf = (X509Certificate) chain.get(0);
        String unsupported = UNSUPPORTED.get(algorithm(leaf.getPublicKey().getEncoded(), false));
        if (unsupported != null) {
            throw invalid("--tls-cert " + shown(certificate) + " is for " + unsupported
                    + " key, which tokenctl serve does not support (" + SUPPORTED + " and its certificate)");
        }
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
                    .generateCertificates(new ByteArrayInputStream(read("--tls-cert", file))));
            if (chain.isEmpty()) {
                throw invalid("--tls-cert " + shown(file) + " holds no certificate (give a PEM certificate chain)");
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw invalid("--tls-cert " + shown(file) + " is not a PEM certificate chain (give one)");
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        java.util.regex.Matcher pem = PKCS8.matcher(new String(read("--tls-key", file), StandardCharsets.US_ASCII));
        if (!pem.find()) {
            throw invalid("--tls-key " + shown(file) + " is not an unencrypted PKCS#8 PEM key (" + CONVERT + ")");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.group(1));
        } catch (IllegalArgumentException e) {
            throw invalid("--tls-key " + shown(file) + " is not a " + algorithm + " key in PKCS#8 (" + CONVERT + ")");
        }
        String unsupported = UNSUPPORTED.get(algorithm(der, true));
        if (unsupported != null) {
            throw invalid("--tls-key " + shown(file) + " is " + unsupported + " key, which tokenctl serve does not support ("
                    + SUPPORTED + ")");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw invalid("--tls-key " + shown(file) + " is not a " + algorithm + " key in PKCS#8 (" + CONVERT + ")");
        }
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "EdDSA" -> "EdDSA";
                default -> "SHA256with" + key.getAlgorithm();
            };
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

    /**
     * The bytes of {@code file}, given as {@code option}: refused unless it is a regular file (or a
     * link to one) of at most {@link #MAX_BYTES}. The type is known before the file is opened, since
     * opening a FIFO waits for a writer; the read stops past the limit, so a file that grows meanwhile
     * is refused too.
     */
    private static byte[] read(String option, Path file) {
        try {
            if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
                throw invalid(option + " " + shown(file) + " is not a regular file (give a PEM file)");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw invalid(option + " " + shown(file) + " is larger than 1 MiB (give a PEM file)");
            }
            return bytes;
        } catch (IOException e) {
            throw invalid(option + " " + shown(file) + " cannot be read: " + Text.quoteSafe(String.valueOf(e.getMessage()), 200)
                    + " (give a readable PEM file)");
        }
    }

    /**
     * The object identifier of the algorithm of a PKCS#8 private key ({@code versioned}: its version
     * comes first) or an X.509 public key, as the hexadecimal of its DER content; what stands where
     * the identifier belongs when the bytes are not such a key, and "" when they end before it.
     */
    private static String algorithm(byte[] der, boolean versioned) {
        try {
            int at = content(der, 0);
            if (versioned) {
                at = end(der, at);
            }
            int identifier = content(der, at);
            return HexFormat.of().formatHex(der, content(der, identifier), end(der, identifier));
        } catch (IndexOutOfBoundsException e) {
            return "";
        }
    }

    /** Where the content of the DER element that starts at {@code at} starts, past its tag and length. */
    private static int content(byte[] der, int at) {
        int length = der[at + 1] & 0xff;
        return at + 2 + ((length & 0x80) == 0 ? 0 : length & 0x7f);
    }

    /** Where the DER element that starts at {@code at} ends, when it is short, as versions and identifiers are. */
    private static int end(byte[] der, int at) {
        return content(der, at) + (der[at + 1] & 0xff);
    }

    private static String shown(Path path) {
        return Text.quoteSafe(path.toString(), 200);
    }

    private static TokenctlException invalid(String message) {
        return TokenctlException.invalid(message);
    }
}
