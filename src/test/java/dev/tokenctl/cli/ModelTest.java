package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The model the build generates against the commands' annotations, which stay the one source
 * of the command line: the command tree built from it is, attribute for attribute, the tree
 * picocli builds from the annotations, and prints the same help.
 */
class ModelTest {
    @Test
    void theBuildGeneratedTheModel() {
        assertThat(Cli.MODEL).as("the build's generated model, which start-up uses").isNotInstanceOf(Cli.Annotations.class);
    }

    @Test
    void everyCommandHasTheSameModelAndHelpAsFromItsAnnotations() throws Exception {
        CommandLine annotated = tree(new Cli.Annotations());
        CommandLine generated = tree(Cli.MODEL);
        List<CommandLine> expected = all(annotated);
        List<CommandLine> actual = all(generated);
        assertThat(actual).hasSameSizeAs(expected).hasSize(ModelGenerator.commands().size());
        for (int i = 0; i < expected.size(); i++) {
            CommandSpec spec = expected.get(i).getCommandSpec();
            assertThat(actual.get(i).getCommandSpec().userObject()).as("the same command").isInstanceOf(spec.userObject().getClass());
            assertThat(describe(actual.get(i).getCommandSpec()).lines()).as(spec.qualifiedName())
                    .containsExactlyElementsOf(describe(spec).lines().toList());
            assertThat(actual.get(i).getUsageMessage()).as(spec.qualifiedName()).isEqualTo(expected.get(i).getUsageMessage());
            if (spec.userObject() instanceof BaseCommand) {
                assertThat(((BaseCommand) actual.get(i).getCommand()).spec).as("@Spec").isSameAs(actual.get(i).getCommandSpec());
            }
        }
    }

    @Test
    void optionsLandInTheCommandsFieldsAsWithTheAnnotations() {
        // Through the generated model: an inherited option, a list with a converter, an argument group.
        CommandLine generated = tree(Cli.MODEL);
        generated.parseArgs("token", "update", "--db", "x.db", "t1", "--permission", "ReadHealthCheck,ManageCluster",
                "--expires-in", "7d", "--label", "a=b", "--no-ip-filter");
        TokenUpdateCommand update = (TokenUpdateCommand) generated.getSubcommands().get("token").getSubcommands().get("update")
                .getCommand();
        assertThat(update.token).isEqualTo("t1");
        assertThat(update.options.db).isEqualTo("x.db");
        assertThat(update.permissions).hasSize(1);
        assertThat(update.expiry.in).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(update.filter.none).isTrue();
        assertThat(update.labels).containsExactly(Map.entry("a", "b"));
        assertThat(update.spec.name()).isEqualTo("update");
    }

    private static CommandLine tree(Cli.Model model) {
        Context context = new CliRunner(Path.of("/nonexistent")).context();
        PrintWriter none = new PrintWriter(new StringWriter());
        CommandLine root = Cli.root(context, Cli.application(context, none), null, model);
        Cli.addAll(root);
        return Cli.configure(root, none, none);
    }

    private static List<CommandLine> all(CommandLine commandLine) {
        List<CommandLine> all = new ArrayList<>(List.of(commandLine));
        commandLine.getSubcommands().values().forEach(sub -> all.addAll(all(sub)));
        return all;
    }

    /**
     * Accessors that hold no attribute of the model: identities, links to other specs and to the
     * command line, builders, one that adds method subcommands, and the resource bundle's
     * messages (there is no bundle; picocli hands an option an empty one or none, by when it was added).
     */
    private static final Set<String> SKIPPED = Set.of("userObject", "commandLine", "parent", "root", "getter", "setter",
            "scope", "toBuilder", "addMethodSubcommands", "subcommands", "group", "command", "hashCode", "toString",
            "typedValues", "originalStringValues", "stringValues", "messages");

    /**
     * Every attribute a spec's public accessors give, by name, with the specs under it described
     * in turn (a command's options, parameters, groups, usage message and parser).
     */
    static String describe(Object spec) throws Exception {
        Map<String, String> attributes = new TreeMap<>();
        for (Method method : spec.getClass().getMethods()) {
            if (method.getParameterCount() > 0 || method.getReturnType() == void.class || SKIPPED.contains(method.getName())
                    || Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class) {
                continue;
            }
            attributes.put(method.getName(), value(method.invoke(spec)));
        }
        // Where the two differ by design. The annotation model lists the @Spec field, which it
        // fills; the generated one fills it itself (checked above). An argument group's fields
        // have their initial values in each new object picocli makes of the group; the
        // annotation model resets them to what they are, the generated one leaves them.
        attributes.remove("specElements");
        if (spec instanceof ArgSpec arg && arg.group() != null) {
            attributes.remove("hasInitialValue");
        }
        return attributes.toString().replace(", ", ",\n");
    }

    private static String value(Object value) throws Exception {
        if (value instanceof ArgSpec || value instanceof ArgGroupSpec || value instanceof CommandLine.Model.UsageMessageSpec
                || value instanceof CommandLine.Model.ParserSpec) {
            return "{" + describe(value) + "}";
        }
        if (value instanceof Iterable<?> values && !(value instanceof Path)) {
            List<String> items = new ArrayList<>();
            for (Object item : values) {
                items.add(value(item));
            }
            return items.toString();
        }
        if (value instanceof Object[] array) {
            List<String> items = new ArrayList<>();
            for (Object item : array) {
                items.add(value(item));
            }
            return items.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> items = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                items.put(String.valueOf(e.getKey()), value(e.getValue()));
            }
            return items.toString();
        }
        if (value instanceof CommandLine.ITypeConverter || value instanceof CommandLine.IVersionProvider
                || value instanceof CommandLine.IModelTransformer || value instanceof CommandLine.IDefaultValueProvider
                || value instanceof CommandLine.Model.ITypeInfo) {
            return value.getClass().getName().replaceAll("\\$\\$Lambda\\$[0-9]+/0x[0-9a-f]+", "\\$\\$Lambda")
                    + (value instanceof CommandLine.Model.ITypeInfo info
                            ? Arrays.toString(info.getAuxiliaryTypes()) + info.isMultiValue() + info.isEnum() : "");
        }
        return String.valueOf(value).replaceAll("@[0-9a-f]+", "");
    }
}
