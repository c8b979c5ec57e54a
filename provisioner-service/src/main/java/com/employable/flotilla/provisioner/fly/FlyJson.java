package com.employable.flotilla.provisioner.fly;

/** Fly's JSON mapping, for callers that need the exact bytes the client would send. */
public final class FlyJson {

    private FlyJson() {}

    /** Deterministic for records and sorted maps. */
    public static byte[] write(Object value) {
        return FlyTransport.JSON.writeValueAsBytes(value);
    }
}
