package com.employable.flotilla.localfly.secrets;

import java.time.Instant;

/** One app secret. The value never reaches a log or {@code toString}; the API shows it only when asked. */
public record Secret(String name, String value, String digest, long version, Instant createdAt, Instant updatedAt) {

    @Override
    public String toString() {
        return "Secret[name=" + name + ", digest=" + digest + ", version=" + version + "]";
    }
}
