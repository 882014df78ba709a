package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The throw-away PostgreSQL servers a test JVM starts for itself go when it does. */
class TestPostgresIT {

    /** Starts the servers as a test JVM does, prints where they are, and waits to be killed. */
    public static final class ServersHolder {
        public static void main(String[] args) throws IOException {
            String certificate = TestPostgres.TLS_CERTIFICATE;
            System.out.println(certificate == null ? "none" : Path.of(certificate).getParent() + " " + TestPostgres.hostPort());
            System.out.flush();
            System.in.read();
        }
    }

    @Test
    void serversStartedForAJvmStopWhenItIsKilled() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServersHolder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // The servers named by the environment are not this JVM's to start or stop.
        builder.environment().keySet().removeIf(name -> name.startsWith("TOKENCTL_TEST_PG") || name.equals("CI"));
        Process jvm = builder.start();
        String started;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            started = out.readLine();
            assumeTrue(started != null && !started.equals("none"), "no PostgreSQL server installed");
            Path dir = Path.of(started.substring(0, started.indexOf(' ')));
            String[] hostPort = started.substring(started.indexOf(' ') + 1).split(":");
            InetSocketAddress server = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
            assertThat(accepts(server)).as("running").isTrue();
            assertThat(dir).exists();

            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((accepts(server) || Files.exists(dir)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(accepts(server)).as("the server stopped").isFalse();
            assertThat(dir).as("its directory removed").doesNotExist();
        } finally {
            jvm.destroyForcibly();
        }
    }

    private static boolean accepts(InetSocketAddress server) {
        try (Socket socket = new Socket()) {
            socket.connect(server, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
