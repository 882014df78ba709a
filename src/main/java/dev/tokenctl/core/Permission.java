package dev.tokenctl.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The catalog of system permissions (LogScale's {@code SystemPermission}), in catalog order. */
public enum Permission {
    ReadHealthCheck("Read cluster health check", Group.CLUSTER, "read the cluster health-check output"),
    ViewOrganizations("View organizations", Group.ORGANIZATION, "list the organizations"),
    ManageOrganizations("Manage customer organizations", Group.ORGANIZATION, "manage customer organizations"),
    ImportOrganization("Import organization", Group.ORGANIZATION, "import an organization into the cluster"),
    DeleteOrganizations("Delete organizations", Group.ORGANIZATION, "delete organizations"),
    ChangeSystemPermissions("Change system permissions", Group.OTHER,
            "change system permissions; a token holding it can grant itself more power"),
    ManageCluster("Manage cluster", Group.CLUSTER,
            "cluster parameters and operations; implies much organization-level power"),
    IngestAcrossAllReposWithinCluster("Ingest across all repositories within cluster", Group.OTHER,
            "ingest into any repository"),
    DeleteHumioOwnedRepositoryOrView("Delete LogScale-owned repository", Group.OTHER,
            "delete a system repository or view, which can blind diagnostics"),
    ChangeUsername("Change username", Group.OTHER, "rename an existing user"),
    ChangeFeatureFlags("Change feature flags", Group.OTHER,
            "toggle feature flags cluster-wide or per organization"),
    ChangeSubdomains("Change subdomains", Group.SUBDOMAINS, "change subdomain configuration"),
    ListSubdomains("List subdomains", Group.SUBDOMAINS, "list subdomains"),
    PatchGlobal("Patch global", Group.CLUSTER, "edit the global snapshot; meant for support use only"),
    ChangeBucketStorage("Change bucket storage", Group.CLUSTER,
            "change how data is stored; not retention, not data access"),
    ManageOrganizationLinks("Manage organization links", Group.OTHER,
            "manage parent/child links between organizations");

    /** The groups the LogScale UI shows permissions in. */
    public enum Group {
        CLUSTER("Cluster management"),
        ORGANIZATION("Organization management"),
        SUBDOMAINS("Subdomains"),
        OTHER("Other");

        private final String label;

        Group(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Permission[] VALUES = values();

    private final String label;
    private final Group group;
    private final String description;

    Permission(String label, Group group, String description) {
        this.label = label;
        this.group = group;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public Group group() {
        return group;
    }

    public String description() {
        return description;
    }

    /** Whether granting this permission deserves a warning: it escalates or is for support only. */
    public boolean dangerous() {
        return this == ChangeSystemPermissions || this == PatchGlobal || this == DeleteHumioOwnedRepositoryOrView;
    }

    /**
     * The permission of that API name, matched case-insensitively.
     *
     * @throws TokenctlException INVALID naming the closest valid names
     */
    public static Permission parse(String name) {
        Permission p = find(name);
        if (p == null) {
            throw unknown(name);
        }
        return p;
    }

    /**
     * The permission of that API name, matched case-insensitively; null when there is none. Cheap
     * whatever the name: no exception, no suggestion, and a name of another length than a
     * permission's is refused by its length alone.
     */
    public static Permission find(String name) {
        for (Permission p : VALUES) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }

    /** The error for a name that is no permission, naming the closest valid names: for people, never per request. */
    static TokenctlException unknown(String name) {
        List<String> close = suggestions(name);
        String hint = close.isEmpty()
                ? "run 'tokenctl permissions list' for the catalog"
                : "did you mean " + String.join(", ", close) + "?";
        return TokenctlException.invalid("unknown permission '" + Text.quoteSafe(name) + "' (" + hint + ")");
    }

    /** Parses a comma-separated list such as {@code ReadHealthCheck,ViewOrganizations}. */
    public static Set<Permission> parseList(String commaSeparated) {
        Set<Permission> result = EnumSet.noneOf(Permission.class);
        for (String part : commaSeparated.split(",", -1)) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                throw TokenctlException.invalid("empty permission name in '" + Text.quoteSafe(commaSeparated)
                        + "' (separate names with single commas, e.g. ReadHealthCheck,ViewOrganizations)");
            }
            result.add(parse(trimmed));
        }
        return result;
    }

    /** API names joined with commas, in catalog order. */
    public static String format(Set<Permission> permissions) {
        StringBuilder out = new StringBuilder();
        for (Permission p : EnumSet.copyOf(permissions)) {
            out.append(out.length() == 0 ? "" : ",").append(p.name());
        }
        return out.toString();
    }

    private static List<String> suggestions(String input) {
        String needle = input.toLowerCase(Locale.ROOT);
        record Scored(Permission p, int distance) { }
        List<Scored> scored = new ArrayList<>();
        for (Permission p : values()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            int distance = needle.length() >= 4 && name.contains(needle) ? 0 : Text.editDistance(needle, name);
            if (distance <= Math.max(2, name.length() / 3)) {
                scored.add(new Scored(p, distance));
            }
        }
        return scored.stream().sorted(Comparator.comparingInt(Scored::distance)).limit(3)
                .map(s -> s.p().name()).collect(Collectors.toList());
    }
}
