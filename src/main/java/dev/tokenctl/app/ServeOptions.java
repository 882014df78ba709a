package dev.tokenctl.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code tokenctl serve} was asked for.
 *
 * @param host the address to listen on (an IP literal or a name; IPv6 without brackets)
 * @param trustedProxies addresses or CIDR ranges, in IP filter syntax, whose X-Forwarded-For is believed
 * @param introspectionCallers names of the tokens that may call the RFC 7662 endpoint
 * @param tlsCertificate a PEM certificate chain, or null for plain HTTP
 * @param tlsKey its PEM private key, or null
 * @param insecure whether a non-loopback address may be served without TLS
 * @param accessLog a file for one JSON line per request, {@code -} for stdout, or null for none
 * @param metricsExpiryWindow active tokens expiring within this get an expiry gauge
 */
public record ServeOptions(String host, int port, List<String> trustedProxies, List<String> introspectionCallers,
                           Path tlsCertificate, Path tlsKey, boolean insecure, String accessLog,
                           Duration metricsExpiryWindow) {
}
