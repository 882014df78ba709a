package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.testing.LocalStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that checks a caller and then the token it presents, as introspection does: the
 * token looked up ahead with the caller, one lookup for both, and checked from its own client's
 * address. The store counts the lookups it is asked for.
 */
class VerifierLookAheadTest {
    @TempDir
    Path dir;
    private LocalStore local;
    private Application application;
    private final List<String> lookups = new ArrayList<>();
    private final List<String> used = new ArrayList<>();

    @BeforeEach
    void setUp() {
        local = new LocalStore(dir);
        application = local.application();
    }

    @AfterEach
    void tearDown() {
        application.close();
    }

    /** A verifier from 192.0.2.1 on the store, which notes each lookup of tokens it is asked for. */
    private Verifier verifier() {
        Store store = application.store();
        Store counted = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("lookup") || method.getName().equals("credentials")) {
                        lookups.add(method.getName() + " " + args[0].toString().split(",").length);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Verifier.Records records = new Verifier.Records() {
            @Override
            public void used(String tokenId, Instant at, String address) {
                used.add(tokenId + " from " + address);
            }

            @Override
            public void denied(String tokenId, String details) {
                used.add(tokenId + " denied " + details);
            }

            @Override
            public void flush() {
            }
        };
        return new Verifier(new Session(counted, Clock.systemUTC(), "tester"), IpFilter.parseAddress("192.0.2.1"), Set.of(),
                records);
    }

    private String create(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("token", "create", "--name", name, "--permission", "ReadHealthCheck",
                "--no-expiry"));
        args.addAll(List.of(more));
        return local.tokenctl(args.toArray(String[]::new));
    }

    private static String id(String token) {
        return token.substring(0, token.indexOf('~'));
    }

    @Test
    void aTokenExpectedIsLookedUpWithTheCallerAndCheckedFromItsOwnClientsAddress() {
        local.tokenctl("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        String caller = create("caller");
        String token = create("office", "--ip-filter", "office");
        Verifier verifier = verifier();
        verifier.expect(token);
        assertThat(verifier.verify(caller).reason()).isEqualTo(Verification.Reason.VALID);
        assertThat(lookups).containsExactly("lookup 2");
        assertThat(verifier.verify(token, IpFilter.parseAddress("10.1.2.3")).reason()).isEqualTo(Verification.Reason.VALID);
        assertThat(lookups).as("the token's check asked the store nothing").containsExactly("lookup 2");
        assertThat(used).containsExactly(id(caller) + " from 192.0.2.1", id(token) + " from 10.1.2.3");

        assertThat(verifier.verify(token, IpFilter.parseAddress("192.0.2.9")).reason())
                .as("what was kept serves one check").isEqualTo(Verification.Reason.IP_DENIED);
        assertThat(lookups).containsExactly("lookup 2", "credentials 1");
        assertThat(verifier.verify(token).reason()).as("this verifier's own address").isEqualTo(Verification.Reason.IP_DENIED);
        assertThat(lookups).as("expected once, kept once: each later check looks it up again")
                .containsExactly("lookup 2", "credentials 1", "credentials 1");
    }

    @Test
    void anExpectedIdThatDoesNotExistIsUnknownWithoutAnotherLookupAndAStringThatIsNoTokenIsIgnored() {
        String caller = create("caller");
        String unknown = new TokenFormat(new java.security.SecureRandom()).newToken("tctl_0000000000000000");
        Verifier verifier = verifier();
        verifier.expect(unknown);
        verifier.expect("not a token");
        assertThat(verifier.verify(caller).reason()).isEqualTo(Verification.Reason.VALID);
        assertThat(verifier.verify(unknown, null).reason()).isEqualTo(Verification.Reason.UNKNOWN);
        assertThat(verifier.verify("not a token", null).reason()).isEqualTo(Verification.Reason.MALFORMED);
        assertThat(lookups).containsExactly("lookup 2");
    }

    @Test
    void aTokenExpectedAndCheckedInTheSameCallIsKeptForItsNextCheckAndEveryCopyInABatchIsAnswered() {
        String token = create("one");
        Verifier verifier = verifier();
        verifier.expect(token);
        assertThat(verifier.verify(token).reason()).isEqualTo(Verification.Reason.VALID);
        assertThat(verifier.verify(List.of(token, token)))
                .extracting(Verification::reason).containsExactly(Verification.Reason.VALID, Verification.Reason.VALID);
        assertThat(lookups).containsExactly("lookup 1");
        assertThat(verifier.verify(token).reason()).isEqualTo(Verification.Reason.VALID);
        assertThat(lookups).containsExactly("lookup 1", "credentials 1");
    }
}
