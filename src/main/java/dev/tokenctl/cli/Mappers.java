package dev.tokenctl.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The JSON and YAML mappers: one of each for output ({@link Output}: snake_case keys in the
 * records' order, nulls kept) and one of each for reading policy files ({@link PolicyFile}:
 * strict, with limits). Each is built in a holder class on first use, so a command with text
 * output never loads Jackson, which takes tens of milliseconds to start.
 */
final class Mappers {
    private Mappers() {
    }

    static final class JsonOut {
        static final ObjectMapper MAPPER = output(new ObjectMapper());
    }

    static final class YamlOut {
        static final ObjectMapper MAPPER = output(new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .stringQuotingChecker(new PlainOnlyWhenSafe())
                .build()));
    }

    static final class JsonIn {
        static final ObjectMapper MAPPER = strict(new ObjectMapper());
    }

    static final class YamlIn {
        static final ObjectMapper MAPPER;

        static {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(5);
            options.setNestingDepthLimit(8);
            options.setCodePointLimit(PolicyFile.MAX_BYTES);
            options.setAllowDuplicateKeys(false);
            MAPPER = strict(new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build()));
        }
    }

    private static ObjectMapper output(ObjectMapper mapper) {
        return mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    }

    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8).maxStringLength(4096).maxNumberLength(32).build());
        return mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * Leaves a string unquoted only when every YAML reader, 1.1 or 1.2, reads it back as the same
     * string: words of letters, digits and {@code _ . / -} that start with a letter and are not
     * a boolean or null keyword, and durations. Anything else ({@code 123}, {@code 0x1F}, {@code 1:20},
     * {@code .inf}, {@code 2026-01-01}, {@code no}, {@code =}, {@code <<}) is quoted.
     */
    static final class PlainOnlyWhenSafe extends StringQuotingChecker {
        private static final java.util.regex.Pattern SAFE = java.util.regex.Pattern.compile(
                "[A-Za-z][A-Za-z0-9_./-]*( [A-Za-z0-9_./-]+)*"
                        // durations such as 30d or 1d12h: no number, date or time in either version
                        + "|([0-9]+[wdhms])+");
        private static final java.util.regex.Pattern KEYWORD =
                java.util.regex.Pattern.compile("(?i)y|n|yes|no|true|false|on|off|null");

        @Override
        public boolean needToQuoteName(String name) {
            return needToQuoteValue(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return !SAFE.matcher(value).matches() || KEYWORD.matcher(value).matches();
        }
    }
}
