package dev.tokenctl.cli;

import dev.tokenctl.core.Permission;
import dev.tokenctl.core.TokenService;
import dev.tokenctl.core.TokenctlException;
import dev.tokenctl.core.Verification;
import dev.tokenctl.core.Verifier;
import inet.ipaddr.IPAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "verify", sortOptions = false,
        description = "Check a token read from stdin or a file: exit 0 when valid, 1 when denied, with the reason.",
        footerHeading = "%nExamples:%n",
        footer = {"  printf '%%s\\n' \"$T\" | tokenctl token verify --require ReadHealthCheck",
                "  tokenctl token verify --token-file ci.token --ip 192.0.2.10 -o json",
                "  tokenctl token verify --batch -o json < tokens.txt"})
final class TokenVerifyCommand extends BaseCommand {
    /** Most tokens checked with one lookup: one round trip to a PostgreSQL server. */
    private static final int BATCH = 500;

    @Option(names = "--ip", paramLabel = "ADDRESS", converter = Converters.AddressConverter.class,
            description = "The client's IPv4 or IPv6 address, checked against the token's IP filter.")
    IPAddress address;

    @Option(names = "--require", paramLabel = "PERM", converter = Converters.PermissionsConverter.class,
            completionCandidates = Converters.PermissionNames.class,
            description = "A permission the token must hold; repeat or separate with commas.")
    List<Converters.Permissions> required = List.of();

    @Option(names = "--token-file", paramLabel = "FILE", converter = Converters.PathConverter.class,
            description = "Read the token from this file instead of stdin.")
    Path tokenFile;

    @Option(names = "--batch",
            description = "Read one token per line and print one result per line (JSON Lines with -o json).")
    boolean batch;

    @Override
    ExitCode run() throws IOException {
        Set<Permission> needed;
        try {
            needed = Converters.Permissions.requirement(required).check().permissions();
        } catch (TokenctlException e) {
            throw new ParameterException(spec.commandLine(), "--require: " + e.getMessage());
        }
        TokenService tokens = app.tokens();
        Output output = output();
        try (InputStream in = open()) {
            if (batch) {
                boolean allValid = true;
                try (Verifier verifier = tokens.verifier(address, needed)) {
                    // Answers go out whenever the input pauses, so a gateway feeding one token at a
                    // time gets each answer at once, and a file of tokens is answered in bulk.
                    // Tokens that have already arrived are checked together, with one lookup.
                    TokenInput input = new TokenInput(in, () -> {
                        output.out.flush();
                        verifier.flush();
                    });
                    List<String> waiting = new ArrayList<>();
                    for (String line = input.next(); line != null; line = input.next()) {
                        waiting.add(line);
                        if (waiting.size() == BATCH || !input.ready()) {
                            allValid &= answer(output, verifier.verify(waiting));
                            waiting.clear();
                        }
                    }
                    allValid &= answer(output, verifier.verify(waiting));
                }
                return allValid ? ExitCode.OK : ExitCode.DENIED;
            }
            TokenInput input = new TokenInput(in, () -> { });
            Verification v = tokens.verify(input.single(tokenFile == null ? "standard input" : Converters.shown(tokenFile)),
                    address, needed);
            TokenRenderer.verification(output, err(), v);
            return v.valid() ? ExitCode.OK : ExitCode.DENIED;
        }
    }

    /** Prints one answer a line; returns whether all were valid. */
    private static boolean answer(Output output, List<Verification> answers) {
        boolean allValid = true;
        for (Verification v : answers) {
            allValid &= v.valid();
            TokenRenderer.answer(output, v);
        }
        return allValid;
    }

    private InputStream open() throws IOException {
        if (tokenFile != null) {
            try {
                if (Files.isDirectory(tokenFile)) {
                    throw new IOException("it is a directory");
                }
                return Files.newInputStream(tokenFile);
            } catch (NoSuchFileException e) {
                throw new Cli.UsageException("--token-file " + Converters.shown(tokenFile) + " does not exist (give the path of a file"
                        + " holding the token)");
            } catch (IOException e) {
                throw new Cli.UsageException("--token-file " + Converters.shown(tokenFile) + " cannot be read: "
                        + Converters.shown(e.getMessage())
                        + " (give a readable file holding the token)");
            }
        }
        if (context.interactive() && !batch && System.console() != null) {
            char[] typed = System.console().readPassword("Token: ");
            return new ByteArrayInputStream(typed == null ? new byte[0]
                    : new String(typed).getBytes(StandardCharsets.UTF_8));
        }
        return context.stdin();
    }
}
