package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tokenctl.core.TokenctlException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS pair of --tls-cert and --tls-key: what is taken, and each refusal's one line. */
class PemTest {
    @TempDir
    Path dir;

    /**
     * Makes a key pair and a self-signed certificate for 127.0.0.1 with the JDK's keytool, writes
     * them as PEM (the certificate, and the key in unencrypted PKCS#8), and returns a TLS context
     * that trusts that certificate alone.
     */
    static SSLContext pair(String algorithm, Path certificate, Path key) throws Exception {
        // One pair per algorithm and file names in this JVM: keytool takes a second to start.
        String[] made = MADE.get(algorithm + " " + certificate.getFileName() + " " + key.getFileName());
        if (made == null) {
            made = generate(algorithm, certificate.getFileName() + "-" + key.getFileName(), certificate.getParent());
            MADE.put(algorithm + " " + certificate.getFileName() + " " + key.getFileName(), made);
        }
        Files.writeString(certificate, made[0]);
        Files.writeString(key, made[1]);
        Certificate cert = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(made[0].getBytes(StandardCharsets.US_ASCII)));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("t", cert);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static final java.util.Map<String, String[]> MADE = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Pairs kept for a day in the build directory, for the JVMs that come after this one:
     * mutation testing starts hundreds, and keytool takes a second each time.
     */
    private static final Path KEPT = Path.of("target", "pem-pairs");

    /**
     * A pair of {@code algorithm}, as keytool makes it, one for each {@code use}, made anew once a
     * day: the certificate and the key, each as PEM.
     */
    private static String[] generate(String algorithm, String use, Path scratch) throws Exception {
        Path kept = KEPT.resolve(algorithm + "-" + use + ".pem");
        if (Files.isRegularFile(kept) && Files.getLastModifiedTime(kept).toInstant()
                .isAfter(java.time.Instant.now().minus(java.time.Duration.ofDays(1)))) {
            String both = Files.readString(kept);
            int split = both.indexOf("-----BEGIN PRIVATE KEY-----");
            return new String[] {both.substring(0, split), both.substring(split)};
        }
        String[] made = keytool(algorithm, scratch);
        try {
            Files.createDirectories(KEPT);
            Path written = Files.createTempFile(KEPT, algorithm, ".tmp");
            Files.writeString(written, made[0] + made[1]);
            Files.move(written, kept, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException notKept) {
            // Made again by the next JVM.
        }
        return made;
    }

    /** A new pair from keytool: the certificate and the key, each as PEM. */
    private static String[] keytool(String algorithm, Path scratch) throws Exception {
        Path store = Files.createTempDirectory(scratch, "keytool").resolve("pair.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "t", "-keyalg", algorithm,
                "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(said).isZero();
        KeyStore pkcs12 = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            pkcs12.load(in, "changeit".toCharArray());
        }
        Certificate cert = pkcs12.getCertificate("t");
        PrivateKey privateKey = (PrivateKey) pkcs12.getKey("t", "changeit".toCharArray());
        return new String[] {pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", privateKey.getEncoded())};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static X509Certificate read(Path certificate) throws Exception {
        return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(certificate));
    }

    @Test
    void anRsaEcOrEdDsaPairMakesAContextThatServesTlsWithTheCertificate() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            Path cert = dir.resolve(algorithm + ".pem");
            Path key = dir.resolve(algorithm + ".key");
            SSLContext client = pair(algorithm, cert, key);
            SSLContext context = Pem.context(cert, key, new Date());
            assertThat(context.getProtocol()).isEqualTo("TLS");
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                assertThat(handshake(context, client, protocol)).as(algorithm + " over " + protocol).isEqualTo(read(cert));
            }
        }
    }

    /**
     * The certificate served to a client that trusts only the pair's certificate, in {@code protocol},
     * once the server has sent a byte over the connection.
     */
    private static Certificate handshake(SSLContext server, SSLContext client, String protocol) throws Exception {
        try (SSLServerSocket listening = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listening.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.getOutputStream().write(42);
                    accepted.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Certificate certificate;
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listening.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.setEnabledProtocols(new String[] {protocol});
                assertThat(socket.getInputStream().read()).isEqualTo(42);
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                certificate = socket.getSession().getPeerCertificates()[0];
            }
            // Closed after the client, whose close_notify the server's close waits for.
            served.get(10, TimeUnit.SECONDS);
            return certificate;
        }
    }

    @Test
    void anEdDsaKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        Path cert = dir.resolve("Ed25519.pem");
        pair("Ed25519", cert, dir.resolve("Ed25519.key"));
        for (String algorithm : new String[] {"Ed25519", "Ed448"}) {
            Path wrong = Files.writeString(dir.resolve("other-" + algorithm + ".key"),
                    pem("PRIVATE KEY", KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate().getEncoded()));
            assertThatThrownBy(() -> Pem.context(cert, wrong, new Date())).isInstanceOf(TokenctlException.class)
                    .hasMessage("--tls-key " + wrong + " is not the key of --tls-cert " + cert
                            + " (give the key the certificate was issued for)");
        }
    }

    @Test
    void keysOfOtherTypesAreRefusedByName() throws Exception {
        Path cert = dir.resolve("cert.pem");
        pair("RSA", cert, dir.resolve("key.pem"));
        String[][] types = {{"X25519", "an X25519"}, {"X448", "an X448"}, {"DSA", "a DSA"}, {"RSASSA-PSS", "an RSASSA-PSS"}};
        for (String[] type : types) {
            Path key = Files.writeString(dir.resolve(type[0] + ".key"),
                    pem("PRIVATE KEY", KeyPairGenerator.getInstance(type[0]).generateKeyPair().getPrivate().getEncoded()));
            assertThatThrownBy(() -> Pem.context(cert, key, new Date())).as(type[0]).isInstanceOf(TokenctlException.class)
                    .hasMessage("--tls-key " + key + " is " + type[1] + " key, which tokenctl serve does not support"
                            + " (use an RSA, EC, Ed25519 or Ed448 key)");
        }
        Path dsaCert = dir.resolve("dsa.pem");
        Path dsaKey = dir.resolve("dsa.key");
        pair("DSA", dsaCert, dsaKey);
        assertThatThrownBy(() -> Pem.context(dsaCert, dsaKey, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-cert " + dsaCert + " is for a DSA key, which tokenctl serve does not support"
                        + " (use an RSA, EC, Ed25519 or Ed448 key and its certificate)");
    }

    @Test
    void onlyRegularFilesOfAtMostOneMebibyteAreRead() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        pair("EC", cert, key);
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertThat(mkfifo.waitFor()).as(new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Path directory = Files.createDirectory(dir.resolve("directory"));
        for (Path notAFile : new Path[] {Path.of("/dev/zero"), fifo, directory}) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThatThrownBy(() -> Pem.context(notAFile, key, new Date())).isInstanceOf(TokenctlException.class)
                        .hasMessage("--tls-cert " + notAFile + " is not a regular file (give a PEM file)");
                assertThatThrownBy(() -> Pem.context(cert, notAFile, new Date())).isInstanceOf(TokenctlException.class)
                        .hasMessage("--tls-key " + notAFile + " is not a regular file (give a PEM file)");
            }, notAFile.toString());
        }

        byte[] mebibyte = new byte[1 << 20];
        Arrays.fill(mebibyte, (byte) 'a');
        Path large = Files.write(dir.resolve("large.pem"), mebibyte);
        assertThatThrownBy(() -> Pem.context(large, key, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-cert " + large + " is not a PEM certificate chain (give one)");
        assertThatThrownBy(() -> Pem.context(cert, large, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-key " + large + " is not an unencrypted PKCS#8 PEM key (" + Pem.CONVERT + ")");
        Path tooLarge = Files.write(dir.resolve("too-large.pem"), new byte[] {'a'}, StandardOpenOption.CREATE_NEW);
        Files.write(tooLarge, mebibyte, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> Pem.context(tooLarge, key, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-cert " + tooLarge + " is larger than 1 MiB (give a PEM file)");
        assertThatThrownBy(() -> Pem.context(cert, tooLarge, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-key " + tooLarge + " is larger than 1 MiB (give a PEM file)");

        Path linkedCert = Files.createSymbolicLink(dir.resolve("linked.pem"), cert);
        Path linkedKey = Files.createSymbolicLink(dir.resolve("linked.key"), key);
        assertThat(Pem.context(linkedCert, linkedKey, new Date())).as("a link to a regular file is followed").isNotNull();
    }

    @Test
    void aCertificateOutsideItsValidityIsRefusedWithItsDates() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        pair("EC", cert, key);
        X509Certificate x509 = read(cert);
        Date after = new Date(x509.getNotAfter().getTime() + 1000);
        assertThatThrownBy(() -> Pem.context(cert, key, after)).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-cert " + cert + " expired on " + x509.getNotAfter().toInstant() + " (renew the certificate)");
        Date before = new Date(x509.getNotBefore().getTime() - 1000);
        assertThatThrownBy(() -> Pem.context(cert, key, before)).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-cert " + cert + " is not valid before " + x509.getNotBefore().toInstant()
                        + " (check the certificate and the clock)");
        assertThat(Pem.context(cert, key, x509.getNotAfter())).as("on its last moment").isNotNull();
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path otherCert = dir.resolve("other.pem");
        Path otherKey = dir.resolve("other.key");
        Path ecCert = dir.resolve("ec.pem");
        Path ecKey = dir.resolve("ec.key");
        pair("RSA", cert, key);
        pair("RSA", otherCert, otherKey);
        pair("EC", ecCert, ecKey);
        assertThatThrownBy(() -> Pem.context(cert, otherKey, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-key " + otherKey + " is not the key of --tls-cert " + cert
                        + " (give the key the certificate was issued for)");
        assertThatThrownBy(() -> Pem.context(ecCert, key, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-key " + key + " is not a EC key in PKCS#8 (" + Pem.CONVERT + ")");
        assertThatThrownBy(() -> Pem.context(cert, ecKey, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-key " + ecKey + " is not a RSA key in PKCS#8 (" + Pem.CONVERT + ")");
    }

    @Test
    void filesThatHoldNoUsablePemAreRefusedInOneLine() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        pair("RSA", cert, key);
        String body = Files.readString(key);
        Path traditional = dir.resolve("rsa.key");
        Files.writeString(traditional, body.replace("PRIVATE KEY", "RSA PRIVATE KEY"));
        Path reversed = dir.resolve("reversed.key");
        Files.writeString(reversed, "-----END PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\n");
        Path garbled = dir.resolve("garbled.key");
        Files.writeString(garbled, "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
        Path notBase64 = dir.resolve("not-base64.key");
        Files.writeString(notBase64, "-----BEGIN PRIVATE KEY-----\nAAAAA\n-----END PRIVATE KEY-----\n");
        for (Path notPkcs8 : new Path[] {traditional, reversed, cert}) {
            assertThatThrownBy(() -> Pem.context(cert, notPkcs8, new Date())).isInstanceOf(TokenctlException.class)
                    .hasMessage("--tls-key " + notPkcs8 + " is not an unencrypted PKCS#8 PEM key (" + Pem.CONVERT + ")");
        }
        for (Path notAKey : new Path[] {garbled, notBase64}) {
            assertThatThrownBy(() -> Pem.context(cert, notAKey, new Date())).isInstanceOf(TokenctlException.class)
                    .hasMessage("--tls-key " + notAKey + " is not a RSA key in PKCS#8 (" + Pem.CONVERT + ")");
        }
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> Pem.context(cert, missing, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessageStartingWith("--tls-key " + missing + " cannot be read: ")
                .hasMessageEndingWith(" (give a readable PEM file)");
        assertThatThrownBy(() -> Pem.context(missing, key, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessageStartingWith("--tls-cert " + missing + " cannot be read: ")
                .hasMessageEndingWith(" (give a readable PEM file)");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> Pem.context(empty, key, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-cert " + empty + " holds no certificate (give a PEM certificate chain)");
        Path notACertificate = Files.writeString(dir.resolve("text.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Pem.context(notACertificate, key, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessage("--tls-cert " + notACertificate + " is not a PEM certificate chain (give one)");
        Path odd = Files.writeString(dir.resolve("a\u001b[2Jb.pem"), "");
        assertThatThrownBy(() -> Pem.context(odd, key, new Date())).isInstanceOf(TokenctlException.class)
                .hasMessageNotContaining("\u001b").hasMessageContaining("holds no certificate");
    }

    @Test
    void theWholeChainIsServed() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path other = dir.resolve("other.pem");
        pair("RSA", cert, key);
        pair("RSA", other, dir.resolve("other.key"));
        Path chain = Files.writeString(dir.resolve("chain.pem"), Files.readString(cert) + Files.readString(other));
        SSLContext context = Pem.context(chain, key, new Date());
        assertThat(context).isNotNull();
        assertThatThrownBy(() -> Pem.context(Files.writeString(dir.resolve("swapped.pem"),
                Files.readString(other) + Files.readString(cert)), key, new Date()))
                .as("the first certificate is the key's").isInstanceOf(TokenctlException.class)
                .hasMessageContaining("is not the key of");
    }
}
