package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Counts this process's descriptors (handles) and segment mappings before each test, once the transport is warm, and
 * asserts after it that they came back to at most that many within 5 s: releases that a peer's close sets off are
 * asynchronous. Shows what is still open when they did not ({@link HostResources}).
 */
public final class NothingLeftBehind implements BeforeEachCallback, AfterEachCallback
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
        NothingLeftBehind.class);

    @Override
    public void beforeEach(final ExtensionContext context) throws Exception
    {
        TestEnvironment.warmUp();
        final ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put("descriptors", TestEnvironment.openFileDescriptors());
        store.put("mappings", TestEnvironment.segmentMappings());
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        final ExtensionContext.Store store = context.getStore(NAMESPACE);
        final long descriptors = store.get("descriptors", Long.class);
        final long mappings = store.get("mappings", Long.class);
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.openFileDescriptors() <= descriptors &&
            TestEnvironment.segmentMappings() <= mappings, 5_000), () -> "left behind: descriptors before=" +
            descriptors + " after=" + TestEnvironment.openFileDescriptors() + " mappings before=" + mappings +
            " after=" + TestEnvironment.segmentMappings() + " " + HostResources.host().descriptorDetails());
    }
}
