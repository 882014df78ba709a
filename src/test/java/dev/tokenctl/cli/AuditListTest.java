package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit list}: each event's number, --after to resume after one, --since as a duration or a moment. */
class AuditListTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir);
        for (String name : List.of("one", "two", "three")) {
            cli.create(name);
            cli.clock.move(Duration.ofHours(1));
        }
    }

    private List<String> names(String... args) throws Exception {
        CliRunner.Result r = cli.ok(args);
        assertThat(r.err()).as(r.toString()).isEmpty();
        List<String> names = new ArrayList<>();
        for (JsonNode event : JSON.readTree(r.out())) {
            String details = event.get("details").asText();
            names.add(details.substring(5, details.indexOf(' ')));
        }
        return names;
    }

    @Test
    void eachEventHasItsNumberAndAfterListsThoseNumberedAfterIt() throws Exception {
        JsonNode events = JSON.readTree(cli.ok("audit", "list", "-o", "json").out());
        assertThat(events.get(0).fieldNames()).toIterable()
                .containsExactly("seq", "at", "user", "action", "token_id", "details");
        long first = events.get(0).get("seq").asLong();
        assertThat(events.get(1).get("seq").asLong()).isEqualTo(first + 1);
        assertThat(events.get(2).get("seq").asLong()).isEqualTo(first + 2);
        assertThat(names("audit", "list", "-o", "json", "--after", Long.toString(first))).containsExactly("two", "three");
        assertThat(names("audit", "list", "-o", "json", "--after", Long.toString(first + 2))).isEmpty();
        assertThat(names("audit", "list", "-o", "json", "--after", "0")).containsExactly("one", "two", "three");

        assertThat(cli.ok("audit", "list", "-o", "yaml", "--after", Long.toString(first + 1)).out())
                .contains("seq: " + (first + 2)).doesNotContain("seq: " + (first + 1));
        List<String> wide = cli.ok("audit", "list", "-o", "wide").out().lines().toList();
        assertThat(wide.get(0)).startsWith("SEQ  ").contains("TIME", "DETAILS");
        assertThat(wide.get(1)).startsWith(first + "  ").contains("name=one");
        assertThat(cli.ok("audit", "list").out().lines().findFirst().orElseThrow()).startsWith("TIME ");
    }

    @Test
    void sinceTakesADurationOrAMoment() throws Exception {
        assertThat(names("audit", "list", "-o", "json", "--since", "2h")).as("now is 13:00").containsExactly("two", "three");
        assertThat(names("audit", "list", "-o", "json", "--since", "2026-11-29T11:00:00Z")).as("at or after it")
                .containsExactly("two", "three");
        assertThat(names("audit", "list", "-o", "json", "--since", "2026-11-29T12:00:01+01:00")).containsExactly("three");
        assertThat(names("audit", "list", "-o", "json", "--since", "2026-11-30")).isEmpty();
        long first = JSON.readTree(cli.ok("audit", "list", "-o", "json").out()).get(0).get("seq").asLong();
        assertThat(names("audit", "list", "-o", "json", "--since", "2026-11-29T10:30:00Z", "--after", Long.toString(first + 1)))
                .containsExactly("three");
    }

    @Test
    void badValuesAreOneLineErrorsWithExit2() {
        for (String[] bad : List.of(new String[] {"--after", "x"}, new String[] {"--after", "-1"},
                new String[] {"--after", "99999999999999999999"}, new String[] {"--since", "yesterday"},
                new String[] {"--since", "2026-13-01T00:00:00Z"}, new String[] {"--since", "2026-12-07T10:00:00"})) {
            CliRunner.Result r = cli.run("audit", "list", bad[0], bad[1]);
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().findFirst().orElseThrow()).as(r.toString()).startsWith("tokenctl: error: ")
                    .contains(bad[1].length() > 24 ? bad[1].substring(0, 10) : bad[1]);
        }
        assertThat(cli.run("audit", "list", "--since", "yesterday").err())
                .contains("as a duration or a timestamp", "24h", "2026-12-07T10:00:00Z");
        assertThat(cli.run("audit", "list", "--after", "x").err()).contains("not an event number");
        assertThat(cli.run("audit", "list", "--since", "2026-12-07T10:00:00").err()).contains("add Z for UTC");
    }
}
