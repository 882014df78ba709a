package dev.tokenctl.store;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.jar.JarEntry;

/**
 * sqlite-jdbc's native library, from beside its jar or from a per-user cache, instead of
 * extracted into /tmp on every start. Left alone, sqlite-jdbc extracts on each start and
 * deletes other processes' copies, which races between parallel invocations (and prints a
 * stack trace when it loses).
 *
 * <p>The build puts the library for the common Linux machines beside the jars
 * ({@code lib/native/Linux/x86_64/}), so that no start reads it out of the jar. It is part of
 * the installation, as trusted as the jars, and used when no one but its owner, this user or
 * root, can have changed it: it and each directory from the jars' down to it belong to one of
 * them and no one else may write to them.
 *
 * <p>Otherwise (another platform, a plain jar) it is extracted once into the cache, and the
 * cached copy is used only when no other user can have put it there or changed it: the cache
 * directory, every directory below it on the way to the library, and the library itself must
 * belong to this user and be writable by no one else, and every directory above the cache must
 * belong to this user or root and be writable by no one else unless it is sticky. A library that fails this, or whose
 * bytes are not the jar's, is extracted again (and compared with the jar's before it is put in
 * place); a directory that fails it is left alone, and sqlite-jdbc falls back to its own way,
 * as it does when there is no cache.
 */
public final class NativeLibrary {
    private static final FileAttribute<?> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** Group- and other-write bits of st_mode. */
    private static final int WRITABLE_BY_OTHERS = 0022;
    /** Sticky bit of st_mode: others may add entries to such a directory, but not rename or remove what they do not own. */
    private static final int STICKY = 01000;
    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR_FILE = 0100000;

    private static boolean prepared;

    private NativeLibrary() {
    }

    /**
     * Points sqlite-jdbc at the library beside its jar, or else at the one cached under
     * {@code cacheRoot} (null for a user with no cache directory), and its logger at SLF4J's
     * no-op provider; call before the first connection.
     */
    public static synchronized void prepare(Path cacheRoot) {
        // Before the driver's first class: its logger is SLF4J's no-op, named so that SLF4J
        // searches no jar for a provider, and says nothing of the one it was given.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.nop.NOPServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        prepared = true;
        Path library = shippedLibrary(jarDirectory());
        if (library == null && cacheRoot != null) {
            library = cachedLibrary(cacheRoot);
        }
        if (library == null) {
            return;
        }
        System.setProperty("org.sqlite.lib.path", library.getParent().toString());
        System.setProperty("org.sqlite.lib.name", library.getFileName().toString());
        // sqlite-jdbc sweeps its temp directory for stale copies on load; keep it out of /tmp.
        System.setProperty("org.sqlite.tmpdir", library.getParent().toString());
    }

    /** The directory of sqlite-jdbc's jar, or null when it is not a jar in a directory. */
    private static Path jarDirectory() {
        try {
            Path jar = Path.of(org.sqlite.JDBC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(jar) ? jar.getParent() : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The library the build put in {@code native/} under {@code jars}, sqlite-jdbc's jar's
     * directory; null when there is none for this platform, or when someone other than this
     * user and root owns it or a directory on the way, or may write to one of them.
     */
    static Path shippedLibrary(Path jars) {
        try {
            String folder = folder();
            if (jars == null || folder == null) {
                return null;
            }
            long uid = processUid();
            Path path = jars;
            for (Path part : Path.of("native").resolve(folder)) {
                if (!isTrusted(path, DIRECTORY, uid)) {
                    return null;
                }
                path = path.resolve(part);
            }
            Path library = path.resolve(System.mapLibraryName("sqlitejdbc"));
            return isTrusted(path, DIRECTORY, uid) && isTrusted(library, REGULAR_FILE, uid) ? library : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The library sqlite-jdbc should load: the copy cached under {@code cacheRoot}, extracted
     * from the jar first when it is missing or not the jar's; or null when sqlite-jdbc should
     * find its own, because this platform's library is not known here or the cache cannot be
     * trusted (a directory on the way belongs to someone else or others can write to it).
     */
    static Path cachedLibrary(Path cacheRoot) {
        try {
            String folder = folder();
            if (folder == null) {
                return null;
            }
            String name = System.mapLibraryName("sqlitejdbc");
            URL url = NativeLibrary.class.getResource("/org/sqlite/native/" + folder + "/" + name);
            if (url == null) {
                return null;
            }
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return null;
            }
            JarEntry entry = jar.getJarEntry();
            long uid = processUid();
            Path root = physical(cacheRoot, uid);
            if (root == null) {
                return null;
            }
            Path dir = root.resolve("sqlite-native").resolve(Long.toHexString(entry.getCrc())).resolve(folder);
            if (!privateDirectories(root, dir, uid)) {
                return null;
            }
            Path library = dir.resolve(name);
            // Compared byte for byte with the jar's on every start, which is stronger than any
            // digest and cheaper than a SHA-256 of 1 MB under the client compiler.
            if (!isPrivate(library, REGULAR_FILE, uid) || Files.size(library) != entry.getSize()
                    || !sameBytes(jar, library)) {
                extract(jar, dir, library);
            }
            return library;
        } catch (IOException | RuntimeException e) {
            // An unwritable or odd cache: sqlite-jdbc extracts to its temp directory as usual.
            return null;
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
     * {@code cacheRoot} by a path with no symbolic link in it, or null when a directory above it
     * (or the cache, which {@link #privateDirectories} holds to more) belongs to someone other
     * than this user and root, or others may write to it and it is not sticky (as /tmp is, where
     * others may add entries but not rename this user's or root's): the library is loaded by its
     * path, and whoever may rename a directory on the way could put one of their own there
     * between the check and the load.
     */
    private static Path physical(Path cacheRoot, long uid) throws IOException {
        Path existing = cacheRoot.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        Path real = existing.toRealPath();
        for (Path path = real; path != null; path = path.getParent()) {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            long owner = (Integer) attributes.get("uid");
            if ((mode & TYPE_MASK) != DIRECTORY || owner != uid && owner != 0
                    || (mode & WRITABLE_BY_OTHERS) != 0 && (mode & STICKY) == 0) {
                return null;
            }
        }
        return real.resolve(existing.relativize(cacheRoot.toAbsolutePath().normalize()));
    }

    /**
     * Makes each directory from {@code root} down to {@code dir} that is missing, private to
     * this user whatever the umask, and tells whether all of them are this user's and writable
     * by no one else. Missing parents of {@code root} are made private too; the ones that exist
     * are the user's business, as for every other file in their home.
     */
    private static boolean privateDirectories(Path root, Path dir, long uid) throws IOException {
        if (!Files.exists(root)) {
            Files.createDirectories(root, PRIVATE_DIRECTORY);
        }
        Path path = root;
        for (Path part : root.relativize(dir)) {
            if (!isPrivate(path, DIRECTORY, uid)) {
                return false;
            }
            path = path.resolve(part);
            if (!Files.exists(path)) {
                try {
                    Files.createDirectory(path, PRIVATE_DIRECTORY);
                } catch (FileAlreadyExistsException e) {
                    // Made by a parallel start meanwhile: checked like any other.
                }
            }
        }
        return isPrivate(path, DIRECTORY, uid);
    }

    /** Whether {@code path} is of the given type, belongs to {@code uid}, and no one else may write to it. */
    static boolean isPrivate(Path path, int type, long uid) throws IOException {
        return owner(path, type) == uid;
    }

    /** Whether {@code path} is of the given type, belongs to {@code uid} or root, and no one else may write to it. */
    private static boolean isTrusted(Path path, int type, long uid) throws IOException {
        long owner = owner(path, type);
        return owner == uid || owner == 0;
    }

    /**
     * The owner of {@code path} when it is of the given type and no one but its owner may write
     * to it; -1 otherwise.
     */
    private static long owner(Path path, int type) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, "unix:uid,mode");
        } catch (java.nio.file.NoSuchFileException e) {
            return -1;
        }
        int mode = (Integer) attributes.get("mode");
        return (mode & TYPE_MASK) == type && (mode & WRITABLE_BY_OTHERS) == 0 ? (Integer) attributes.get("uid") : -1;
    }

    /**
     * The effective user id of this process, which owns the files it creates: from the kernel's
     * status of the process, which is quicker to read than a file is to create on every start.
     */
    static long processUid() throws IOException {
        String status;
        // Not Files.readString, which takes a few milliseconds more on the first read here.
        try (InputStream in = new FileInputStream("/proc/self/status")) {
            status = new String(in.readNBytes(16384), StandardCharsets.ISO_8859_1);
        }
        int at = status.indexOf("\nUid:");
        if (at < 0) {
            throw new IOException("no Uid line in /proc/self/status");
        }
        // "Uid:" is followed by the real, effective, saved and file-system user ids, tab-separated.
        String[] ids = status.substring(at + 5, status.indexOf('\n', at + 1)).strip().split("\t");
        return Long.parseLong(ids[1].strip());
    }

    /** Whether {@code library} holds exactly the bytes the jar ships. */
    static boolean sameBytes(JarURLConnection jar, Path library) throws IOException {
        byte[] shipped = new byte[1 << 16];
        byte[] cached = new byte[1 << 16];
        try (InputStream a = jar.getJarFile().getInputStream(jar.getJarEntry()); InputStream b = Files.newInputStream(library)) {
            while (true) {
                int n = a.readNBytes(shipped, 0, shipped.length);
                if (b.readNBytes(cached, 0, n) != n || Arrays.mismatch(shipped, 0, n, cached, 0, n) >= 0) {
                    return false;
                }
                if (n < shipped.length) {
                    return b.read() < 0;
                }
            }
        }
    }

    private static void extract(JarURLConnection jar, Path dir, Path library) throws IOException {
        byte[] shipped;
        try (InputStream in = jar.getInputStream()) {
            shipped = in.readAllBytes();
        }
        // Made 0600 by createTempFile, in a directory only this user can write to.
        Path temp = Files.createTempFile(dir, "extract", ".tmp");
        try {
            Files.write(temp, shipped);
            if (!Arrays.equals(Files.readAllBytes(temp), shipped)) {
                throw new IOException("extracted native library does not match the jar");
            }
            // Atomic, so a parallel start sees either no library or a whole one.
            Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
