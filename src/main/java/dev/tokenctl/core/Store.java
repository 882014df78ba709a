package dev.tokenctl.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where tokens, filters, the policy and the audit log are kept. Implementations translate their
 * own failures into {@link TokenctlException} of kind STORAGE (or CONFLICT for a uniqueness
 * violation), with a message a person can act on.
 */
public interface Store extends AutoCloseable {

    /** Which engine keeps the store, where (never with a password) and at which schema version. */
    record Description(String engine, String location, int schemaVersion) {
    }

    /** How much the store holds; tokens by their status at a moment. */
    record Counts(long active, long retiring, long expired, long revoked, long ipFilters, long auditEvents) {
        public long tokens() {
            return active + retiring + expired + revoked;
        }

        /** Whether nothing was ever written: no token, no filter, no audit event. */
        public boolean empty() {
            return tokens() == 0 && ipFilters == 0 && auditEvents == 0;
        }
    }

    /** The engine, the location as messages may show it, and the schema version. */
    Description describe();

    /**
     * Whether this open store is still the one its location names now: false for a store kept in
     * a file once another file was renamed over it or it was deleted, as this connection then
     * reads a file no one else sees. Asks the file system at most once, never the store; true
     * for a store on a server.
     */
    default boolean current() {
        return true;
    }

    /**
     * Folds what has been written into the store's own file and empties any log the engine keeps
     * beside it by name (SQLite's write-ahead log), when no reader needs it: a file renamed over
     * the store later is then read alone, never with the old file's log. Nothing for a store on
     * a server; a log that cannot be emptied now is left for the next time.
     */
    default void checkpoint() {
    }

    /** How much the store holds, tokens by their status at {@code now}: one query. */
    Counts counts(Instant now);

    /**
     * Runs {@code work} in one write transaction: either everything it wrote is committed or,
     * when it throws, nothing is. Calls nest: an inner call joins the outer transaction.
     */
    <T> T transaction(Supplier<T> work);

    /** A token with the digest of its secret, as {@link #credential} returns it. */
    record Credential(Token token, byte[] digest) {
    }

    void insertToken(Token token, byte[] digest);

    /** Inserts many tokens, sent together where the engine allows: what a copy writes. */
    void insertTokens(java.util.Collection<Credential> credentials);

    Optional<Token> token(String id);

    /**
     * The token of that name that is not revoked or, when there is none, the one revoked last;
     * never one retiring at {@code now} (revoked after it).
     */
    Optional<Token> tokenByName(String name, Instant now);

    /** The tokens of that name retiring at {@code now}: revoked later, by a graced rotation. */
    List<Token> retiringByName(String name, Instant now);

    /** Whether a token that is not revoked at {@code now} (active, retiring or expired) has that name. */
    boolean activeNameExists(String name, Instant now);

    /** The credentials of those ids that exist, by id: one lookup for a batch of tokens. */
    java.util.Map<String, Credential> credentials(java.util.Collection<String> ids);

    /** What a check reads: the policy in force and the credentials of the ids asked that exist, by id. */
    record Lookup(Policy policy, java.util.Map<String, Credential> credentials) {
    }

    /**
     * The policy and the credentials of those ids that exist, read by queries that begin during
     * this call: one round trip where the engine allows. On a server's shared store, the calls
     * of several threads may be answered by one query, never by one begun before the call.
     */
    default Lookup lookup(java.util.Collection<String> ids) {
        return new Lookup(policy(), credentials(ids));
    }

    /** Streams the matching tokens in the query's order, at most its limit, without holding them all in memory. */
    void forEachToken(TokenQuery query, Consumer<Token> sink);

    /** How many tokens match, whatever the query's limit: one query, which reads no token. */
    long countTokens(TokenQuery query);

    /** Revokes a token as of {@code at} (a later time: it retires then), unless it was revoked by then. */
    void revokeToken(String id, Instant at, String reason);

    /** Writes what {@code token update} may change: description, permissions, expiry, IP filter and labels. */
    void updateToken(Token token);

    void updateExpiry(String id, Instant expiresAt);

    void recordUse(String id, Instant at, String address);

    /** A token's use, as {@link #recordUses} records it: at a time, from an address (null when unknown). */
    record Use(String id, Instant at, String address) {
    }

    /** Records many uses as {@link #recordUse} records each, sent together where the engine allows. */
    void recordUses(List<Use> uses);

    void audit(AuditEvent event);

    /** Appends many events, in their order, sent together where the engine allows. */
    void audit(List<AuditEvent> events);

    /** Events at or after {@code since} (null: all), for one token when {@code tokenId} is set, oldest first. */
    void forEachAudit(Instant since, String tokenId, Consumer<AuditEvent> sink);

    /** Events numbered after {@code seq}, by number. */
    void forEachAuditAfter(long seq, Consumer<AuditEvent> sink);

    /** The highest event number, 0 when there is none. */
    long lastAuditSeq();

    /** When the latest event with exactly this token, action and details was recorded. */
    Optional<Instant> lastAudit(String tokenId, String action, String details);

    Policy policy();

    void savePolicy(Policy policy);

    Optional<IpFilter> ipFilter(String name);

    List<IpFilter> ipFilters();

    void insertIpFilter(IpFilter filter);

    void updateIpFilter(IpFilter filter);

    void deleteIpFilter(String name);

    /** Names of tokens that are not revoked at {@code now} (retiring ones too) and are bound to the filter. */
    List<String> activeTokensUsingFilter(String name, Instant now);

    @Override
    void close();
}
