package dev.tokenctl.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A test class that runs once on each engine; every test gets a new store of it in {@link #cli}. */
@ParameterizedClass
@EnumSource(Engine.class)
abstract class OnEachEngine {
    @Parameter
    Engine engine;
    @TempDir
    Path dir;
    CliRunner cli;

    /** Whether each test starts on a store already made (see {@link CliRunner}); false where a test watches it made. */
    boolean seeded() {
        return true;
    }

    @BeforeEach
    void newStore() {
        cli = new CliRunner(dir, engine, seeded());
    }
}
