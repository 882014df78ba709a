package dev.tokenctl.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenctl.core.Durations;
import dev.tokenctl.core.Policy;
import dev.tokenctl.core.TokenctlException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a policy file (YAML or JSON, the form {@code policy show -o yaml|json} writes) into a
 * change of the settings it names. Strict: an unknown or duplicate key, a wrong type or a bad
 * value is refused naming the key; YAML aliases, deep nesting and huge documents are refused
 * by the parser's limits.
 */
final class PolicyFile {
    static final int MAX_BYTES = 64 * 1024;
    private static final Set<String> KEYS = Set.of("tokens_enabled", "max_expiry", "default_expiry",
            "enforced_ip_filter", "allow_permission_updates");

    private PolicyFile() {
    }

    static UnaryOperator<Policy> read(String text, String source) {
        JsonNode root = parse(text, source);
        if (!root.isObject()) {
            throw invalid(source, "must be a mapping of settings such as 'max_expiry: 30d'");
        }
        UnaryOperator<Policy> change = UnaryOperator.identity();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (!KEYS.contains(key)) {
                throw invalid(source, "unknown key '" + dev.tokenctl.core.Text.quoteSafe(key) + "'; the keys are "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
            UnaryOperator<Policy> step = setting(key, value, source);
            UnaryOperator<Policy> previous = change;
            change = p -> step.apply(previous.apply(p));
        }
        return change;
    }

    private static UnaryOperator<Policy> setting(String key, JsonNode value, String source) {
        switch (key) {
            case "tokens_enabled": {
                boolean enabled = bool(key, value, source);
                return p -> new Policy(enabled, p.maxExpiry(), p.defaultExpiry(), p.enforcedIpFilter(),
                        p.allowPermissionUpdates());
            }
            case "allow_permission_updates": {
                boolean allow = bool(key, value, source);
                return p -> new Policy(p.tokensEnabled(), p.maxExpiry(), p.defaultExpiry(), p.enforcedIpFilter(), allow);
            }
            case "max_expiry": {
                Duration max = duration(key, value, source);
                return p -> new Policy(p.tokensEnabled(), max, p.defaultExpiry(), p.enforcedIpFilter(),
                        p.allowPermissionUpdates());
            }
            case "default_expiry": {
                Duration dflt = duration(key, value, source);
                return p -> new Policy(p.tokensEnabled(), p.maxExpiry(), dflt, p.enforcedIpFilter(),
                        p.allowPermissionUpdates());
            }
            default: {
                String filter = noneOrText(key, value, source);
                return p -> new Policy(p.tokensEnabled(), p.maxExpiry(), p.defaultExpiry(), filter,
                        p.allowPermissionUpdates());
            }
        }
    }

    private static boolean bool(String key, JsonNode value, String source) {
        if (!value.isBoolean()) {
            throw invalid(source, "'" + key + "' must be true or false");
        }
        return value.booleanValue();
    }

    private static Duration duration(String key, JsonNode value, String source) {
        String text = noneOrText(key, value, source);
        try {
            return text == null ? null : Durations.parse(text);
        } catch (TokenctlException e) {
            throw invalid(source, "'" + key + "': " + e.getMessage());
        }
    }

    private static String noneOrText(String key, JsonNode value, String source) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(source, "'" + key + "' must be a string or null");
        }
        return value.textValue().equals("none") ? null : value.textValue();
    }

    /**
     * The file's one document. A second document (after {@code ---}, or a second JSON object) or
     * anything after the first is refused, naming its line: a setting there would otherwise be
     * silently ignored.
     */
    private static JsonNode parse(String text, String source) {
        ObjectMapper mapper = text.stripLeading().startsWith("{") ? Json.MAPPER : Yaml.MAPPER;
        try (JsonParser parser = mapper.createParser(text)) {
            JsonNode node = mapper.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw invalid(source, "is empty");
            }
            if (parser.nextToken() != null) {
                throw invalid(source, "has more than one document: line " + parser.currentLocation().getLineNr()
                        + " starts another (put every setting in one document)");
            }
            return node;
        } catch (TokenctlException e) {
            throw e;
        } catch (JsonProcessingException e) {
            String reason = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("unreadable");
            String line = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                    : " on line " + e.getLocation().getLineNr();
            throw invalid(source, "is not valid YAML or JSON" + line + ": " + dev.tokenctl.core.Text.quoteSafe(reason));
        } catch (Exception e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable");
            throw invalid(source, "is not valid YAML or JSON: " + dev.tokenctl.core.Text.quoteSafe(reason));
        }
    }

    private static TokenctlException invalid(String source, String what) {
        return TokenctlException.invalid("policy file " + source + ": " + what + " (nothing was changed)");
    }

    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8).maxStringLength(4096).maxNumberLength(32).build());
        return mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    static final class Json {
        static final ObjectMapper MAPPER = strict(new ObjectMapper());
    }

    static final class Yaml {
        static final ObjectMapper MAPPER;

        static {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(5);
            options.setNestingDepthLimit(8);
            options.setCodePointLimit(MAX_BYTES);
            options.setAllowDuplicateKeys(false);
            MAPPER = strict(new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build()));
        }
    }
}
