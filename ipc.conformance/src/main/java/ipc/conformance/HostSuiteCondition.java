package ipc.conformance;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import ipc.api.IpcPlatform;

/**
 * Enables a {@link HostSuite} class when the system property {@value #PLATFORM_PROPERTY} names the host's
 * {@link IpcPlatform}; disables it, saying why, when the property is missing or names another platform.
 */
public final class HostSuiteCondition implements ExecutionCondition
{
    /** The platform whose backend the running test module provides, as an {@link IpcPlatform} name. */
    public static final String PLATFORM_PROPERTY = "ipc.conformance.platform";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext context)
    {
        final String backend = System.getProperty(PLATFORM_PROPERTY);
        final IpcPlatform host = IpcPlatform.fromOsName(System.getProperty("os.name", ""));
        if (null == backend || backend.isEmpty())
        {
            return ConditionEvaluationResult.disabled("no backend under test: " + PLATFORM_PROPERTY + " is not set");
        }
        if (null == host || !host.name().equals(backend))
        {
            return ConditionEvaluationResult.disabled("the backend under test is not the host's: " +
                PLATFORM_PROPERTY + "=" + backend + " host=" + host);
        }
        return ConditionEvaluationResult.enabled("the backend under test is the host's: " + backend);
    }
}
