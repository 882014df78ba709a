package dev.tokenctl.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenctl.core.Policy;
import dev.tokenctl.core.PolicySetting;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads a policy file (YAML or JSON, the form {@code policy show -o yaml|json} writes) into a
 * change of the settings it names. Strict: an unknown or duplicate key, a wrong type or a bad
 * value is refused naming the key; YAML aliases, deep nesting and huge documents are refused
 * by the parser's limits.
 */
final class PolicyFile {
    static final int MAX_BYTES = 64 * 1024;

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
            PolicySetting setting = Arrays.stream(PolicySetting.values()).filter(s -> s.key().equals(field.getKey()))
                    .findFirst().orElseThrow(() -> invalid(source, "unknown key '" + Text.quoteSafe(field.getKey())
                            + "'; the keys are " + String.join(", ", Arrays.stream(PolicySetting.values())
                            .map(PolicySetting::key).sorted().toList())));
            Object value = value(setting, field.getValue(), source);
            UnaryOperator<Policy> previous = change;
            change = p -> setting.with(previous.apply(p), value);
        }
        return change;
    }

    /** A boolean for a boolean setting; a string or null for the others, read as policy set reads it. */
    private static Object value(PolicySetting setting, JsonNode value, String source) {
        String key = setting.key();
        if (setting.type() == PolicySetting.Type.BOOLEAN) {
            if (!value.isBoolean()) {
                throw invalid(source, "'" + key + "' must be true or false");
            }
            return value.booleanValue();
        }
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(source, "'" + key + "' must be a string or null");
        }
        try {
            return setting.parse(value.textValue());
        } catch (TokenctlException e) {
            throw invalid(source, "'" + key + "': " + e.getMessage());
        }
    }

    /**
     * The file's one document. A second document (after {@code ---}, or a second JSON object) or
     * anything after the first is refused, naming its line: a setting there would otherwise be
     * silently ignored.
     */
    private static JsonNode parse(String text, String source) {
        ObjectMapper mapper = text.stripLeading().startsWith("{") ? Mappers.JsonIn.MAPPER : Mappers.YamlIn.MAPPER;
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
            throw invalid(source, "is not valid YAML or JSON" + line + ": " + Text.quoteSafe(reason));
        } catch (Exception e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable");
            throw invalid(source, "is not valid YAML or JSON: " + Text.quoteSafe(reason));
        }
    }

    private static TokenctlException invalid(String source, String what) {
        return TokenctlException.invalid("policy file " + source + ": " + what + " (nothing was changed)");
    }
}
