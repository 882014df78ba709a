package dev.tokenctl.http;

/**
 * Where a request goes, read from its target alone: known before its body, so that the body's
 * limit is decided at the header stage. Each route's label names it in the metrics and the
 * access log.
 */
enum Route {
    /** {@code /v1/authz} and any path below it, as Envoy sends: the token is in a header, a body is not read. */
    AUTHZ("authz", Route.NO_BODY),
    /** RFC 7662: the token is in a small form. */
    INTROSPECT("introspect", Route.MAX_FORM),
    HEALTHZ("healthz", Route.NO_BODY),
    METRICS("metrics", Route.NO_BODY),
    /** Any other path, and a request whose target could not be read. */
    OTHER("other", Route.NO_BODY);

    /**
     * The largest body a route takes, in bytes. A body that the route does not read is still
     * allowed this much (some clients send an empty form or a few bytes), and is thrown away.
     */
    static final int NO_BODY = 1024;
    static final int MAX_FORM = 4 * 1024;

    final String label;
    final int maxBody;

    Route(String label, int maxBody) {
        this.label = label;
        this.maxBody = maxBody;
    }

    static Route of(String target) {
        String path = path(target);
        if (path.equals("/v1/authz") || path.startsWith("/v1/authz/")) {
            return AUTHZ;
        } else if (path.equals("/v1/introspect")) {
            return INTROSPECT;
        } else if (path.equals("/healthz")) {
            return HEALTHZ;
        } else if (path.equals("/metrics")) {
            return METRICS;
        }
        return OTHER;
    }

    /** The raw path of a request target, in origin form ("/a?b") or absolute form ("http://host/a?b"). */
    static String path(String target) {
        int question = target.indexOf('?');
        String path = question == -1 ? target : target.substring(0, question);
        int scheme = path.indexOf("://");
        if (scheme > 0 && !path.startsWith("/")) {
            int slash = path.indexOf('/', scheme + 3);
            return slash == -1 ? "/" : path.substring(slash);
        }
        return path;
    }
}
