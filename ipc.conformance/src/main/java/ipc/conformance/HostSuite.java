package ipc.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a class of the shared suite: it runs only where the backend module running it (named by the system property
 * {@value HostSuiteCondition#PLATFORM_PROPERTY}, set by that module's Surefire configuration) is the host's, so
 * that every backend module can scan the suite and exactly one of them runs it on each operating system.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(HostSuiteCondition.class)
public @interface HostSuite
{
}
