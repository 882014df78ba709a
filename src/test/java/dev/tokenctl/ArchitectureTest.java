package dev.tokenctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the layers pointing one way: startup -> each face (cli, http) -> app -> store -> core
 * (and app -> core). core knows no face, no database and no output format; the application
 * knows no face; the faces, and the start-up, reach the store only through the application, and
 * the faces never each other.
 */
class ArchitectureTest {

    @ParameterizedTest
    @CsvSource({
        "core, picocli.|com.fasterxml.|java.sql.|org.sqlite.|org.postgresql.|dev.tokenctl.cli.|dev.tokenctl.store.|dev.tokenctl.app.|dev.tokenctl.startup.|dev.tokenctl.http.|java.io.PrintStream",
        "store, picocli.|com.fasterxml.|dev.tokenctl.cli.|dev.tokenctl.app.|dev.tokenctl.startup.|dev.tokenctl.http.",
        "app, picocli.|com.fasterxml.|java.sql.|dev.tokenctl.cli.|dev.tokenctl.startup.|dev.tokenctl.http.|java.io.PrintStream",
        "cli, java.sql.|org.sqlite.|org.postgresql.|dev.tokenctl.store.|dev.tokenctl.startup.|dev.tokenctl.http.",
        "http, picocli.|java.sql.|org.sqlite.|org.postgresql.|dev.tokenctl.cli.|dev.tokenctl.store.|dev.tokenctl.startup.",
        "startup, java.sql.|org.sqlite.|dev.tokenctl.store."
    })
    void layerDoesNotImportWhatItMustNotKnow(String layer, String forbidden) throws IOException {
        Path root = Path.of("src/main/java/dev/tokenctl", layer);
        List<String> prefixes = List.of(forbidden.split("\\|"));
        try (Stream<Path> files = Files.walk(root)) {
            List<String> offending = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream()
                            .filter(line -> prefixes.stream().anyMatch(f -> line.contains(f) && !line.strip().startsWith("*")))
                            .map(line -> p.getFileName() + ": " + line.strip());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertThat(offending).as("forbidden references in " + layer + "/").isEmpty();
        }
        assertThat(root).isDirectory();
    }
}
