package ipc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@link IpcTransport} provider class with the platform it serves, so that
 * {@link IpcTransport#forHost()} can skip the providers of other platforms without instantiating them and
 * without loading their native code. A provider without this annotation is never chosen.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ForPlatform
{
    /**
     * The platform the annotated provider serves.
     *
     * @return the platform.
     */
    IpcPlatform value();
}
