package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.TokenIntrospectionErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.Server;
import dev.tokenctl.testing.LocalStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nimbus oauth2-oidc-sdk, a client library resource servers use, introspecting tokens with its
 * own defaults: the caller authenticates as an OAuth client (its token's name and string, in
 * HTTP Basic or the form), and the library reads active, scope and exp from the answer.
 */
class IntrospectionClientTest {
    @TempDir
    java.nio.file.Path dir;
    private LocalStore local;
    private Server.Running server;
    private URI endpoint;
    private String caller;

    @BeforeEach
    void setUp() {
        local = new LocalStore(dir);
        caller = local.tokenctl("token", "create", "--name", "resource-server", "--permission", "ReadHealthCheck", "--no-expiry");
        ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of(), List.of("resource-server"), null, null, false,
                null, Duration.ofDays(30));
        server = new HttpServerFace().start(options, local::application, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        endpoint = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/introspect");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private TokenIntrospectionResponse introspect(ClientAuthentication as, String token) throws Exception {
        HTTPResponse response = new TokenIntrospectionRequest(endpoint, as, new BearerAccessToken(token)).toHTTPRequest().send();
        return TokenIntrospectionResponse.parse(response);
    }

    @Test
    void activeScopeAndExpiryAsTheLibraryReadsThemWithClientSecretBasicOrPost() throws Exception {
        String token = local.tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck,ManageCluster",
                "--expires-in", "7d");
        for (ClientAuthentication as : List.of(new ClientSecretBasic(new ClientID("resource-server"), new Secret(caller)),
                new ClientSecretPost(new ClientID("resource-server"), new Secret(caller)),
                new ClientSecretBasic(new ClientID(caller.substring(0, caller.indexOf('~'))), new Secret(caller)))) {
            TokenIntrospectionResponse answer = introspect(as, token);
            assertThat(answer.indicatesSuccess()).as(as.getMethod().getValue()).isTrue();
            TokenIntrospectionSuccessResponse success = answer.toSuccessResponse();
            assertThat(success.isActive()).isTrue();
            assertThat(success.getScope().toStringList()).containsExactlyInAnyOrder("ReadHealthCheck", "ManageCluster");
            assertThat(success.getUsername()).isEqualTo("svc");
            assertThat(success.getExpirationTime().toInstant()).isAfter(java.time.Instant.now().plus(Duration.ofDays(6)))
                    .isBefore(java.time.Instant.now().plus(Duration.ofDays(8)));
        }
    }

    @Test
    void aRevokedOrUnknownTokenIsInactive() throws Exception {
        String token = local.tokenctl("token", "create", "--name", "gone", "--permission", "ReadHealthCheck", "--no-expiry");
        local.tokenctl("token", "revoke", "gone");
        ClientAuthentication as = new ClientSecretBasic(new ClientID("resource-server"), new Secret(caller));
        assertThat(introspect(as, token).toSuccessResponse().isActive()).isFalse();
        assertThat(introspect(as, "tctl_0000000000000000~nope").toSuccessResponse().isActive()).isFalse();
    }

    @Test
    void aWrongPairIsAnInvalidClientWithABasicChallengeThatTellsNothing() throws Exception {
        String token = local.tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck", "--no-expiry");
        String other = local.tokenctl("token", "create", "--name", "other", "--permission", "ReadHealthCheck", "--no-expiry");
        for (ClientAuthentication as : List.of(new ClientSecretBasic(new ClientID("resource-server"), new Secret("wrong")),
                new ClientSecretBasic(new ClientID("other"), new Secret(caller)),
                new ClientSecretBasic(new ClientID("other"), new Secret(other)),
                new ClientSecretPost(new ClientID("resource-server"), new Secret(other)))) {
            HTTPResponse response = new TokenIntrospectionRequest(endpoint, as, new BearerAccessToken(token)).toHTTPRequest().send();
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getHeaderValue("WWW-Authenticate")).isEqualTo("Basic realm=\"tokenctl\"");
            TokenIntrospectionErrorResponse error = TokenIntrospectionResponse.parse(response).toErrorResponse();
            assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_client");
        }
    }
}
