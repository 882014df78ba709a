package dev.tokenctl.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * For the mutation run only (README, "Mutation testing"; registered by the mutation profile):
 * each of PIT's mutation workers first lists the tests of every test class it may need, and
 * its JUnit 5 plugin lists them by running the classes whole, every test for real, before the
 * first mutant. That listing ran about twenty seconds of tests in each worker, again after each
 * time-out, for nothing: the tests are run again against each mutant. While a worker lists, the
 * test methods and their set-up and tear-down are skipped, so that each test is still listed,
 * passing; everywhere else, and in PIT's coverage run, which measures what each test covers
 * while it lists, every test runs as written.
 */
public final class DiscoveryOnly implements InvocationInterceptor {
    private static final StackWalker STACK = StackWalker.getInstance();

    /** Whether this thread is in a mutation worker's listing of tests. */
    private static boolean listing() {
        return STACK.walk(frames -> frames.anyMatch(frame ->
                frame.getClassName().equals("org.pitest.mutationtest.execute.MutationTestMinion")
                        && frame.getMethodName().equals("findTestsForTestClasses")));
    }

    private static void runUnlessListing(Invocation<Void> invocation) throws Throwable {
        if (listing()) {
            invocation.skip();
        } else {
            invocation.proceed();
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        runUnlessListing(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        runUnlessListing(invocation);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                          ExtensionContext context) throws Throwable {
        runUnlessListing(invocation);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                         ExtensionContext context) throws Throwable {
        runUnlessListing(invocation);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                         ExtensionContext context) throws Throwable {
        runUnlessListing(invocation);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                        ExtensionContext context) throws Throwable {
        runUnlessListing(invocation);
    }
}
