package dev.tokenctl.cli;

import java.lang.reflect.Field;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.IScope;
import picocli.CommandLine.Model.IScoped;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A field an option, parameter or argument group of the generated model is bound to,
 * as picocli binds an annotated field: the field of whatever object its scope holds (the
 * command, or the argument group's object, which picocli makes when the group is used).
 */
final class Binding implements IGetter, ISetter, IScoped {
    private final Scope scope;
    private final Field field;

    Binding(Scope scope, Class<?> owner, String name) {
        this.scope = scope;
        try {
            this.field = owner.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("the generated model names a field " + owner.getName() + " lacks: " + name, e);
        }
        field.setAccessible(true);
    }

    /**
     * An option bound to the field {@code name} of {@code owner} in {@code scope}. Its initial
     * value, which picocli resets it to before parsing, is the field's value now, as picocli reads
     * an annotated field's; an argument group's object does not exist yet, and picocli makes a new
     * one whenever the group is used, so its fields are left as they are made.
     */
    static OptionSpec.Builder option(Scope scope, Class<?> owner, String name, String... names) {
        Binding binding = new Binding(scope, owner, name);
        return OptionSpec.builder(names).getter(binding).setter(binding).scope(scope)
                .initialValue(binding.initial()).hasInitialValue(scope.value != null).descriptionKey("").prompt("");
    }

    /**
     * A positional parameter bound as {@link #option} binds an option (the same calls: the
     * builder type the two share is not public).
     */
    static PositionalParamSpec.Builder parameter(Scope scope, Class<?> owner, String name) {
        Binding binding = new Binding(scope, owner, name);
        return PositionalParamSpec.builder().getter(binding).setter(binding).scope(scope)
                .initialValue(binding.initial()).hasInitialValue(scope.value != null).descriptionKey("").prompt("");
    }

    /** An argument group whose object, of {@code type}, picocli puts in the field {@code name} of {@code owner}. */
    static ArgGroupSpec.Builder group(Scope scope, Class<?> owner, String name, Class<?> type) {
        Binding binding = new Binding(scope, owner, name);
        // The type as picocli describes it; its own description of a type is not public.
        var typeInfo = OptionSpec.builder("--type").type(type).build().typeInfo();
        return ArgGroupSpec.builder().getter(binding).setter(binding).scope(scope).typeInfo(typeInfo);
    }

    private Object initial() {
        try {
            return get();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public IScope getScope() {
        return scope;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() throws IllegalAccessException {
        Object target = scope.get();
        return target == null ? null : (T) field.get(target);
    }

    @Override
    public <T> T set(T value) throws IllegalAccessException {
        T old = get();
        field.set(scope.get(), value);
        return old;
    }

    /** What a binding reads and writes the field of: a command, or an argument group's object once made. */
    static final class Scope implements IScope {
        private Object value;

        Scope(Object value) {
            this.value = value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T value) {
            T old = (T) this.value;
            this.value = value;
            return old;
        }
    }
}
