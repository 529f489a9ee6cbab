package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

import ipc.api.IpcPlatform;

/** The suite runs only in the backend module whose platform is the host's, and nowhere without one. */
class HostSuiteConditionTest
{
    private final String saved = System.getProperty(HostSuiteCondition.PLATFORM_PROPERTY);

    @AfterEach
    void restore()
    {
        if (null == saved)
        {
            System.clearProperty(HostSuiteCondition.PLATFORM_PROPERTY);
        }
        else
        {
            System.setProperty(HostSuiteCondition.PLATFORM_PROPERTY, saved);
        }
    }

    @Test
    void shouldDisableTheSuiteWithoutABackendUnderTest()
    {
        System.clearProperty(HostSuiteCondition.PLATFORM_PROPERTY);
        final ConditionEvaluationResult result = new HostSuiteCondition().evaluateExecutionCondition(null);
        assertTrue(result.isDisabled());
        assertTrue(result.getReason().orElse("").contains("not set"), result.getReason().orElse(""));
    }

    @Test
    void shouldEnableTheSuiteOnlyForTheHostsBackend() throws Exception
    {
        final IpcPlatform host = IpcPlatform.host();
        for (final IpcPlatform backend : IpcPlatform.values())
        {
            System.setProperty(HostSuiteCondition.PLATFORM_PROPERTY, backend.name());
            final ConditionEvaluationResult result = new HostSuiteCondition().evaluateExecutionCondition(null);
            assertFalse(result.isDisabled() == (backend == host),
                "backend=" + backend + " host=" + host + ": " + result.getReason().orElse(""));
        }
    }
}
