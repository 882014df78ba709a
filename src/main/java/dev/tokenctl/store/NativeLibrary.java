package dev.tokenctl.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;

/**
 * sqlite-jdbc's native library, extracted once into a per-user cache instead of into /tmp on
 * every start. Every start checks the cached copy against the CRC32 the jar records for it and
 * extracts again when it is missing or differs. Left alone, sqlite-jdbc extracts on each start
 * and deletes other processes' copies, which races between parallel invocations (and prints a
 * stack trace when it loses). When the cache cannot be used, sqlite-jdbc falls back to its own way.
 */
public final class NativeLibrary {
    private static boolean prepared;

    private NativeLibrary() {
    }

    /** Points sqlite-jdbc at the cached library under {@code cacheRoot}; call before the first connection. */
    public static synchronized void prepare(Path cacheRoot) {
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        prepared = true;
        try {
            String folder = folder();
            if (folder == null) {
                return;
            }
            String name = System.mapLibraryName("sqlitejdbc");
            URL url = NativeLibrary.class.getResource("/org/sqlite/native/" + folder + "/" + name);
            if (url == null) {
                return;
            }
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return;
            }
            long expected = jar.getJarEntry().getCrc();
            Path dir = cacheRoot.resolve("sqlite-native").resolve(Long.toHexString(expected)).resolve(folder);
            Path library = dir.resolve(name);
            if (!Files.isRegularFile(library) || crc(library) != expected) {
                extract(jar, dir, library, expected);
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
            // sqlite-jdbc sweeps its temp directory for stale copies on load; keep it out of /tmp.
            System.setProperty("org.sqlite.tmpdir", dir.toString());
        } catch (IOException | RuntimeException e) {
            // An unwritable or odd cache: sqlite-jdbc extracts to its temp directory as usual.
        }
    }

    /**
     * The jar's folder for this platform, for the common glibc Linux machines; null elsewhere,
     * where sqlite-jdbc finds its own. (Its OSInfo would tell, but starts a process to do so.)
     */
    private static String folder() {
        String arch = System.getProperty("os.arch");
        boolean musl = Files.exists(Path.of("/lib/ld-musl-x86_64.so.1")) || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
        if (!"Linux".equals(System.getProperty("os.name")) || musl) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "Linux/x86_64";
            case "aarch64" -> "Linux/aarch64";
            default -> null;
        };
    }

    /**
     * Starts preparing sqlite-jdbc on a background thread: the native library, and the date
     * formatter every connection builds, whose locale data takes tens of milliseconds to load.
     * The command line is parsed meanwhile; whoever comes second waits for the other.
     * {@code alsoWarm} runs first on the same thread, for the caller's own slow first steps.
     */
    public static void warmUp(Path cacheRoot, Runnable alsoWarm) {
        Thread thread = new Thread(() -> {
            alsoWarm.run();
            prepare(cacheRoot);
            try {
                org.sqlite.SQLiteJDBCLoader.initialize();
                org.sqlite.date.FastDateFormat.getInstance(org.sqlite.SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
            } catch (Exception | LinkageError e) {
                // The connection will do this work itself, and report what fails.
            }
        }, "sqlite-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void extract(JarURLConnection jar, Path dir, Path library, long expected) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temp = Files.createTempFile(dir, "extract", ".tmp");
        try {
            try (InputStream in = jar.getInputStream()) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (crc(temp) != expected) {
                throw new IOException("extracted native library does not match the jar");
            }
            // Atomic, so a parallel start sees either no library or a whole one.
            Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(file));
        return crc.getValue();
    }
}
