package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.Verification;
import dev.tokenctl.core.Verifier;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A verifier kept for many checks (a long verify --batch) reads the policy and the IP filters
 * once, and again when they are more than a second old by the clock it runs on, or when that
 * clock goes back: it follows another process's changes within a second, without a read per
 * token. The tests move the clock; nothing waits.
 */
class VerifierRefreshTest extends OnEachEngine {

    /** Records that only remember what they were given. */
    private static final class Remembered implements Verifier.Records {
        final List<String> records = new ArrayList<>();

        @Override
        public void used(String tokenId, Instant at, String address) {
            records.add("used " + tokenId);
        }

        @Override
        public void denied(String tokenId, String details) {
            records.add("denied " + tokenId + " " + details);
        }

        @Override
        public void flush() {
        }
    }

    private Verifier verifier(Application application, Remembered records) {
        return application.tokens().verifier(IpFilter.parseAddress("10.1.2.3"), Set.of(), records);
    }

    private Application application() {
        return Cli.application(cli.context(), new PrintWriter(Writer.nullWriter()));
    }

    @Test
    void aVerifierFollowsFilterAndPolicyChangesOnceWhatItReadIsMoreThanASecondOld() throws Exception {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        cli.ok("ipfilter", "add", "lab", "--rule", "allow 192.168.0.0/16");
        String token = cli.create("gw", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office");
        Remembered records = new Remembered();
        try (Application application = application(); Verifier verifier = verifier(application, records)) {
            assertThat(verifier.verify(token).reason()).isEqualTo(Verification.Reason.VALID);

            // Another process narrows the filter: what was read a second ago or less still holds.
            cli.sql("UPDATE ip_filters SET rules = 'allow 10.9.0.0/16' WHERE name = 'office'");
            assertThat(verifier.verify(token).reason()).as("at once").isEqualTo(Verification.Reason.VALID);
            cli.clock.move(Duration.ofSeconds(1));
            assertThat(verifier.verify(token).reason()).as("a second later").isEqualTo(Verification.Reason.VALID);
            cli.clock.move(Duration.ofMillis(1));
            assertThat(verifier.verify(token).reason()).as("past the second").isEqualTo(Verification.Reason.IP_DENIED);

            cli.sql("UPDATE ip_filters SET rules = 'allow 10.0.0.0/8' WHERE name = 'office'",
                    "UPDATE policy SET enforced_ip_filter = 'lab'");
            cli.clock.move(Duration.ofMillis(1001));
            assertThat(verifier.verify(token).reason()).as("the policy is read again too")
                    .isEqualTo(Verification.Reason.IP_DENIED);
        }
        String id = token.substring(0, token.indexOf('~'));
        assertThat(records.records).containsExactly("used " + id, "used " + id, "used " + id,
                "denied " + id + " reason=ip-denied", "denied " + id + " reason=ip-denied");
    }

    @Test
    void aClockSetBackMakesAVerifierReadAgainOnce() throws Exception {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        String token = cli.create("gw", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office");
        try (Application application = application(); Verifier verifier = verifier(application, new Remembered())) {
            assertThat(verifier.verify(token).reason()).isEqualTo(Verification.Reason.VALID);
            cli.sql("UPDATE ip_filters SET rules = 'allow 10.9.0.0/16' WHERE name = 'office'");
            cli.clock.move(Duration.ofMillis(-1));
            assertThat(verifier.verify(token).reason()).as("the clock went back").isEqualTo(Verification.Reason.IP_DENIED);

            cli.sql("UPDATE ip_filters SET rules = 'allow 10.0.0.0/8' WHERE name = 'office'");
            assertThat(verifier.verify(token).reason()).as("read at the new time, held from it")
                    .isEqualTo(Verification.Reason.IP_DENIED);
            cli.clock.move(Duration.ofMillis(1001));
            assertThat(verifier.verify(token).reason()).isEqualTo(Verification.Reason.VALID);
        }
    }
}
