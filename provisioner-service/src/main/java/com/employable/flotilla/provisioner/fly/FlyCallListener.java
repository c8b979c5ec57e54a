package com.employable.flotilla.provisioner.fly;

import java.time.Duration;

/** Told about every HTTP exchange with Fly (each attempt), for the audit trail. Never sees bodies or headers. */
@FunctionalInterface
public interface FlyCallListener {

    /**
     * @param endpoint the API action, e.g. {@code machines.create}
     * @param method   HTTP method
     * @param path     request path (app names and machine ids, never secret values)
     * @param status   HTTP status, or 0 for an I/O failure
     * @param error    Fly's error message or the failure's class, null on success
     */
    void called(String endpoint, String method, String path, int status, Duration duration, String error);

    FlyCallListener NONE = (endpoint, method, path, status, duration, error) -> {};
}
